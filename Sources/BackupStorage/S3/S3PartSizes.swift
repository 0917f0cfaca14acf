/// The part sizes of a streamed multipart upload, whose total size is not known in advance: 5 MiB (S3's least) for
/// parts 1 to 1,000, then doubling every 1,000 parts up to 64 MiB. An object can so reach about 448 GiB within S3's
/// 10,000 parts, while a writer holds one part: 5 MiB for any object below 4.9 GiB.
package enum S3PartSizes {
    package static let first = 5 << 20
    package static let largest = 64 << 20
    /// S3's limit on the parts of one upload.
    package static let maximumParts = 10_000

    /// The size of part `number` (1-based).
    package static func bytes(number: Int) -> Int {
        min(Self.largest, Self.first << min(4, max(0, number - 1) / 1000))
    }
}
