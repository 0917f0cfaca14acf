import BigInt
import Crypto
import Foundation

/// Ed25519 signing from an expanded secret (the 64-byte SHA-512 output RFC 8032 derives from a seed), which
/// swift-crypto does not offer: it only signs from a 32-byte seed.
///
/// Plain big-integer arithmetic on the twisted Edwards curve −x² + y² = 1 + d·x²·y² over GF(2²⁵⁵ − 19), in
/// extended coordinates (X:Y:Z:T, x = X/Z, y = Y/Z, x·y = T/Z). Not constant-time: it signs a login nonce with
/// the user's own password on the user's own machine, once per connection.
enum Ed25519 {
    /// The field prime 2²⁵⁵ − 19.
    static let p = (BigUInt(1) << 255) - 19
    /// The order of the base point, 2²⁵² + 27742317777372353535851937790883648493.
    static let order = (BigUInt(1) << 252) + BigUInt("27742317777372353535851937790883648493", radix: 10)!
    /// The curve constant d = −121665/121666.
    static let d = BigUInt("37095705934669439343138083508754565189542113879843219016388785533085940283555", radix: 10)!
    static let twoD = (d * 2) % p

    /// A point in extended coordinates.
    struct Point {
        var x: BigUInt
        var y: BigUInt
        var z: BigUInt
        var t: BigUInt

        static let identity = Point(x: 0, y: 1, z: 1, t: 0)
    }

    /// The base point B (y = 4/5, x even).
    static let base: Point = {
        let x = BigUInt("15112221349535400772501151409588531511454012693041857206046113283949847762202", radix: 10)!
        let y = BigUInt("46316835694926478169428394003475163141307993866256225615783033603165251855960", radix: 10)!
        return Point(x: x, y: y, z: 1, t: (x * y) % p)
    }()

    /// P + Q (the unified formula of RFC 8032 §5.1.4; it also doubles).
    static func add(_ lhs: Point, _ rhs: Point) -> Point {
        let a = ((lhs.y + p - lhs.x) * (rhs.y + p - rhs.x)) % p
        let b = ((lhs.y + lhs.x) * (rhs.y + rhs.x)) % p
        let c = (((lhs.t * twoD) % p) * rhs.t) % p
        let dd = ((lhs.z * 2) * rhs.z) % p
        let e = (b + p - a) % p
        let f = (dd + p - c) % p
        let g = (dd + c) % p
        let h = (b + a) % p
        return Point(x: (e * f) % p, y: (g * h) % p, z: (f * g) % p, t: (e * h) % p)
    }

    /// scalar · point, by double-and-add.
    static func multiply(_ scalar: BigUInt, _ point: Point) -> Point {
        var result = Point.identity
        var addend = point
        var remaining = scalar
        while !remaining.isZero {
            if remaining[bitAt: 0] { result = add(result, addend) }
            addend = add(addend, addend)
            remaining >>= 1
        }
        return result
    }

    /// The 32-byte encoding: y little-endian, the top bit holding x's parity.
    static func encode(_ point: Point) -> [UInt8] {
        let inverse = point.z.power(p - 2, modulus: p)
        let x = (point.x * inverse) % p
        let y = (point.y * inverse) % p
        var bytes = littleEndian(y, count: 32)
        if x[bitAt: 0] { bytes[31] |= 0x80 }
        return bytes
    }

    /// The 64-byte signature R ‖ S of `message` with the expanded secret `h` (64 bytes: the scalar's bytes, then the
    /// nonce prefix).
    static func sign(expandedSecret h: [UInt8], message: [UInt8]) -> [UInt8] {
        precondition(h.count == 64, "an expanded Ed25519 secret has 64 bytes")
        var scalarBytes = Array(h[0..<32])
        scalarBytes[0] &= 248
        scalarBytes[31] &= 63
        scalarBytes[31] |= 64
        let scalar = integer(littleEndian: scalarBytes)
        let publicKey = encode(multiply(scalar, base))
        let r = integer(littleEndian: Array(SHA512.hash(data: Array(h[32..<64]) + message))) % order
        let commitment = encode(multiply(r, base))
        let k = integer(littleEndian: Array(SHA512.hash(data: commitment + publicKey + message))) % order
        let s = (r + k * scalar) % order
        return commitment + littleEndian(s, count: 32)
    }

    static func integer(littleEndian bytes: [UInt8]) -> BigUInt {
        BigUInt(Data(bytes.reversed()))
    }

    static func littleEndian(_ value: BigUInt, count: Int) -> [UInt8] {
        let bigEndian = Array(value.serialize())
        return Array(bigEndian.reversed()) + [UInt8](repeating: 0, count: max(0, count - bigEndian.count))
    }
}
