import Testing

@testable import ObjectStorage

struct S3ListPageTests {
    @Test func decodesAListingPage() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix>a/</Prefix>
            <KeyCount>2</KeyCount><MaxKeys>2</MaxKeys><IsTruncated>true</IsTruncated>
            <NextContinuationToken>tok+/=</NextContinuationToken>
            <Contents><Key>a/one &amp; two</Key><Size>10</Size><ETag>&quot;abc&quot;</ETag></Contents>
            <Contents><Key>a/three</Key><Size>0</Size><ETag>"def-2"</ETag></Contents>
            </ListBucketResult>
            """
        let page = try S3ListPage.decode(Array(xml.utf8), bucket: "b")
        #expect(
            page.objects == [
                S3ObjectInfo(key: "a/one & two", size: 10, etag: "abc"),
                S3ObjectInfo(key: "a/three", size: 0, etag: "def-2"),
            ])
        #expect(page.continuationToken == "tok+/=")
    }

    @Test func refusesWhatIsNotAListing() {
        #expect(throws: S3Error.self) { try S3ListPage.decode(Array("<html>nope</html>".utf8), bucket: "b") }
        #expect(throws: S3Error.self) { try S3ListPage.decode(Array("not xml".utf8), bucket: "b") }
        let truncatedWithoutToken = "<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>"
        #expect(throws: S3Error.self) { try S3ListPage.decode(Array(truncatedWithoutToken.utf8), bucket: "b") }
    }
}
