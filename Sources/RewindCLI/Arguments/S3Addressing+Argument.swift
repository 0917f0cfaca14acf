import ArgumentParser
import ObjectStorage

extension S3ClientConfiguration.Addressing: ExpressibleByArgument {}
