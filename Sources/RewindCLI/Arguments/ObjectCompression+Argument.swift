import ArgumentParser
import ObjectCodec

extension ObjectCompression: ExpressibleByArgument {}
