import Testing

@testable import ObjectStorage

struct S3LocationTests {
    @Test func parsesBucketAndPrefix() throws {
        let location = try S3Location(parsing: "s3://rewind-archive/prod/db1")
        #expect(location.bucket == "rewind-archive")
        #expect(location.prefix == "prod/db1/")
        #expect(location.key("mysql-bin.000001") == "prod/db1/mysql-bin.000001")
        #expect(try S3Location(parsing: "s3://bucket").prefix == "")
        #expect(try S3Location(parsing: "s3://bucket/").prefix == "")
        #expect(S3Location.isS3("s3://x") && !S3Location.isS3("/var/archive"))
    }

    @Test func refusesBadNamesWithAMessageThatSaysWhy() {
        for text in [
            "s3://", "s3://Upper/x", "s3://ab/x", "s3://-bucket/x", "/tmp/archive", "s3://bucket/a//b",
            "s3://bucket/a/../b",
        ] {
            #expect(throws: S3Error.self, "\(text)") { try S3Location(parsing: text) }
        }
        do {
            _ = try S3Location(parsing: "s3://My_Bucket/x")
            Issue.record("accepted an invalid bucket")
        } catch let error as S3Error {
            #expect(error.message.contains("'My_Bucket' is not a valid bucket name"))
        } catch { Issue.record("\(error)") }
    }
}
