import ArgumentParser
import BinlogFormat

extension GTIDSet: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}
