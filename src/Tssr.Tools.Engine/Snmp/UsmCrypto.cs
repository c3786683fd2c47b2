using System;
using System.Security.Cryptography;

namespace Tssr.Tools.Engine.Snmp
{
    /// <summary>
    /// The cryptography of the User-based Security Model: pass phrase to key and key localisation
    /// (RFC 3414 A.2, the same 1 MB expansion for SHA-2 as RFC 7860 says), HMAC with the
    /// truncations of RFC 3414 (MD5, SHA-1: 12 bytes) and RFC 7860 (SHA-224: 16, SHA-256: 24,
    /// SHA-384: 32, SHA-512: 48), DES-CBC (RFC 3414 8.1), AES-CFB128 (RFC 3826) and the key
    /// extension net-snmp uses for AES-192/256 (draft-blumenthal-aes-usm-04 3.1.2.1:
    /// Kul = Kul || H(Kul) until long enough).
    /// </summary>
    internal static class UsmCrypto
    {
        public static int DigestLength(SnmpAuthProtocol protocol) => protocol switch
        {
            SnmpAuthProtocol.MD5 => 16,
            SnmpAuthProtocol.SHA1 => 20,
            SnmpAuthProtocol.SHA224 => 28,
            SnmpAuthProtocol.SHA256 => 32,
            SnmpAuthProtocol.SHA384 => 48,
            SnmpAuthProtocol.SHA512 => 64,
            _ => 0,
        };

        public static int MacLength(SnmpAuthProtocol protocol) => protocol switch
        {
            SnmpAuthProtocol.MD5 => 12,
            SnmpAuthProtocol.SHA1 => 12,
            SnmpAuthProtocol.SHA224 => 16,
            SnmpAuthProtocol.SHA256 => 24,
            SnmpAuthProtocol.SHA384 => 32,
            SnmpAuthProtocol.SHA512 => 48,
            _ => 0,
        };

        private static int BlockLength(SnmpAuthProtocol protocol) => protocol == SnmpAuthProtocol.SHA384 || protocol == SnmpAuthProtocol.SHA512 ? 128 : 64;

        public static int PrivKeyLength(SnmpPrivacyProtocol protocol) => protocol switch
        {
            SnmpPrivacyProtocol.DES => 16,
            SnmpPrivacyProtocol.AES => 16,
            SnmpPrivacyProtocol.AES192 => 24,
            SnmpPrivacyProtocol.AES256 => 32,
            _ => 0,
        };

        private static HashAlgorithm CreateHash(SnmpAuthProtocol protocol) => protocol switch
        {
            SnmpAuthProtocol.MD5 => MD5.Create(),
            SnmpAuthProtocol.SHA1 => SHA1.Create(),
            SnmpAuthProtocol.SHA224 => new Sha224(),
            SnmpAuthProtocol.SHA256 => SHA256.Create(),
            SnmpAuthProtocol.SHA384 => SHA384.Create(),
            SnmpAuthProtocol.SHA512 => SHA512.Create(),
            _ => throw new ArgumentOutOfRangeException(nameof(protocol)),
        };

        public static byte[] Hash(SnmpAuthProtocol protocol, byte[] data)
        {
            using (var h = CreateHash(protocol)) return h.ComputeHash(data);
        }

        /// <summary>Ku: the pass phrase repeated over 1,048,576 bytes, hashed (RFC 3414 A.2.1).</summary>
        public static byte[] PasswordToKey(SnmpAuthProtocol protocol, byte[] passphrase)
        {
            if (passphrase.Length == 0) throw new ArgumentException("empty pass phrase", nameof(passphrase));
            using (var h = CreateHash(protocol))
            {
                var chunk = new byte[64];
                var index = 0;
                for (var count = 0; count < 1048576; count += 64)
                {
                    for (var i = 0; i < 64; i++) chunk[i] = passphrase[index++ % passphrase.Length];
                    h.TransformBlock(chunk, 0, 64, null, 0);
                }
                h.TransformFinalBlock(Array.Empty<byte>(), 0, 0);
                return h.Hash!;
            }
        }

        /// <summary>Kul = H(Ku || engineID || Ku) (RFC 3414 A.2.2).</summary>
        public static byte[] Localize(SnmpAuthProtocol protocol, byte[] ku, byte[] engineId)
        {
            var data = new byte[ku.Length * 2 + engineId.Length];
            Buffer.BlockCopy(ku, 0, data, 0, ku.Length);
            Buffer.BlockCopy(engineId, 0, data, ku.Length, engineId.Length);
            Buffer.BlockCopy(ku, 0, data, ku.Length + engineId.Length, ku.Length);
            return Hash(protocol, data);
        }

        /// <summary>The privacy key of the needed length: Kul itself, or extended as net-snmp does for AES-192/256.</summary>
        public static byte[] PrivacyKey(SnmpAuthProtocol auth, SnmpPrivacyProtocol privacy, byte[] localized)
        {
            var needed = PrivKeyLength(privacy);
            var key = localized;
            while (key.Length < needed)
            {
                var more = Hash(auth, key);
                var longer = new byte[key.Length + more.Length];
                Buffer.BlockCopy(key, 0, longer, 0, key.Length);
                Buffer.BlockCopy(more, 0, longer, key.Length, more.Length);
                key = longer;
            }
            var result = new byte[needed];
            Buffer.BlockCopy(key, 0, result, 0, needed);
            return result;
        }

        /// <summary>HMAC (RFC 2104) with the USM truncation of the protocol.</summary>
        public static byte[] Mac(SnmpAuthProtocol protocol, byte[] key, byte[] message)
        {
            var block = BlockLength(protocol);
            var k = key.Length > block ? Hash(protocol, key) : key;
            var inner = new byte[block + message.Length];
            var outer = new byte[block + DigestLength(protocol)];
            for (var i = 0; i < block; i++)
            {
                var b = i < k.Length ? k[i] : (byte)0;
                inner[i] = (byte)(b ^ 0x36);
                outer[i] = (byte)(b ^ 0x5C);
            }
            Buffer.BlockCopy(message, 0, inner, block, message.Length);
            var innerHash = Hash(protocol, inner);
            Buffer.BlockCopy(innerHash, 0, outer, block, innerHash.Length);
            var full = Hash(protocol, outer);
            var mac = new byte[MacLength(protocol)];
            Buffer.BlockCopy(full, 0, mac, 0, mac.Length);
            return mac;
        }

        /// <summary>DES-CBC (RFC 3414 8.1.1): key = first 8 bytes, IV = last 8 bytes of the 16-byte key XOR the salt; padded to 8 bytes.</summary>
        public static byte[] DesEncrypt(byte[] key16, byte[] salt, byte[] plain)
        {
            var padded = new byte[(plain.Length + 7) / 8 * 8];
            Buffer.BlockCopy(plain, 0, padded, 0, plain.Length);
            using (var des = CreateDes(key16, salt))
            using (var e = des.CreateEncryptor())
                return e.TransformFinalBlock(padded, 0, padded.Length);
        }

        public static byte[] DesDecrypt(byte[] key16, byte[] salt, byte[] cipher)
        {
            if (cipher.Length % 8 != 0 || salt.Length != 8) throw new CryptographicException("DES ciphertext length");
            using (var des = CreateDes(key16, salt))
            using (var d = des.CreateDecryptor())
                return d.TransformFinalBlock(cipher, 0, cipher.Length);
        }

        private static DES CreateDes(byte[] key16, byte[] salt)
        {
            var des = DES.Create();
            des.Mode = CipherMode.CBC;
            des.Padding = PaddingMode.None;
            var k = new byte[8];
            var iv = new byte[8];
            Buffer.BlockCopy(key16, 0, k, 0, 8);
            for (var i = 0; i < 8; i++) iv[i] = (byte)(key16[8 + i] ^ salt[i]);
            des.Key = k;
            des.IV = iv;
            return des;
        }

        /// <summary>AES-CFB128 (RFC 3826 3.1.3): IV = boots (4 bytes) || time (4 bytes) || salt (8 bytes); no padding.</summary>
        public static byte[] AesCfb(byte[] key, int boots, int time, byte[] salt, byte[] input, bool encrypt)
        {
            if (salt.Length != 8) throw new CryptographicException("AES salt length");
            var register = new byte[16];
            WriteInt(register, 0, boots);
            WriteInt(register, 4, time);
            Buffer.BlockCopy(salt, 0, register, 8, 8);
            var output = new byte[input.Length];
            using (var aes = Aes.Create())
            {
                aes.Mode = CipherMode.ECB;
                aes.Padding = PaddingMode.None;
                aes.Key = key;
                using (var e = aes.CreateEncryptor())
                {
                    var stream = new byte[16];
                    for (var offset = 0; offset < input.Length; offset += 16)
                    {
                        e.TransformBlock(register, 0, 16, stream, 0);
                        var n = Math.Min(16, input.Length - offset);
                        for (var i = 0; i < n; i++) output[offset + i] = (byte)(input[offset + i] ^ stream[i]);
                        // The next register is the ciphertext block: ours when encrypting, the input when decrypting.
                        Buffer.BlockCopy(encrypt ? output : input, offset, register, 0, n);
                    }
                }
            }
            return output;
        }

        public static void WriteInt(byte[] buffer, int offset, int value)
        {
            buffer[offset] = (byte)(value >> 24);
            buffer[offset + 1] = (byte)(value >> 16);
            buffer[offset + 2] = (byte)(value >> 8);
            buffer[offset + 3] = (byte)value;
        }

        public static bool FixedTimeEquals(byte[] a, byte[] b)
        {
            if (a.Length != b.Length) return false;
            var diff = 0;
            for (var i = 0; i < a.Length; i++) diff |= a[i] ^ b[i];
            return diff == 0;
        }
    }

    /// <summary>SHA-224 (FIPS 180-4): SHA-256 with its own initial values, cut to 28 bytes. .NET has no SHA-224.</summary>
    internal sealed class Sha224 : HashAlgorithm
    {
        private static readonly uint[] K =
        {
            0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
            0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
            0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
            0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
            0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
            0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
            0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
            0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
        };

        private readonly uint[] _h = new uint[8];
        private readonly byte[] _block = new byte[64];
        private readonly uint[] _w = new uint[64];
        private int _fill;
        private long _total;

        public Sha224()
        {
            HashSizeValue = 224;
            Initialize();
        }

        public override void Initialize()
        {
            _h[0] = 0xc1059ed8; _h[1] = 0x367cd507; _h[2] = 0x3070dd17; _h[3] = 0xf70e5939;
            _h[4] = 0xffc00b31; _h[5] = 0x68581511; _h[6] = 0x64f98fa7; _h[7] = 0xbefa4fa4;
            _fill = 0;
            _total = 0;
        }

        protected override void HashCore(byte[] array, int ibStart, int cbSize)
        {
            _total += cbSize;
            while (cbSize > 0)
            {
                var n = Math.Min(64 - _fill, cbSize);
                Buffer.BlockCopy(array, ibStart, _block, _fill, n);
                _fill += n;
                ibStart += n;
                cbSize -= n;
                if (_fill == 64)
                {
                    Compress();
                    _fill = 0;
                }
            }
        }

        protected override byte[] HashFinal()
        {
            var bits = _total * 8;
            var pad = new byte[(_fill < 56 ? 56 - _fill : 120 - _fill) + 8];
            pad[0] = 0x80;
            for (var i = 0; i < 8; i++) pad[pad.Length - 1 - i] = (byte)(bits >> (8 * i));
            var saved = _total;
            HashCore(pad, 0, pad.Length);
            _total = saved;
            var result = new byte[28];
            for (var i = 0; i < 7; i++) UsmCrypto.WriteInt(result, i * 4, (int)_h[i]);
            return result;
        }

        private static uint Rotr(uint x, int n) => (x >> n) | (x << (32 - n));

        private void Compress()
        {
            for (var i = 0; i < 16; i++)
                _w[i] = (uint)(_block[i * 4] << 24 | _block[i * 4 + 1] << 16 | _block[i * 4 + 2] << 8 | _block[i * 4 + 3]);
            for (var i = 16; i < 64; i++)
            {
                var s0 = Rotr(_w[i - 15], 7) ^ Rotr(_w[i - 15], 18) ^ (_w[i - 15] >> 3);
                var s1 = Rotr(_w[i - 2], 17) ^ Rotr(_w[i - 2], 19) ^ (_w[i - 2] >> 10);
                _w[i] = unchecked(_w[i - 16] + s0 + _w[i - 7] + s1);
            }
            uint a = _h[0], b = _h[1], c = _h[2], d = _h[3], e = _h[4], f = _h[5], g = _h[6], h = _h[7];
            for (var i = 0; i < 64; i++)
            {
                var t1 = unchecked(h + (Rotr(e, 6) ^ Rotr(e, 11) ^ Rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + _w[i]);
                var t2 = unchecked((Rotr(a, 2) ^ Rotr(a, 13) ^ Rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c)));
                h = g; g = f; f = e; e = unchecked(d + t1); d = c; c = b; b = a; a = unchecked(t1 + t2);
            }
            unchecked
            {
                _h[0] += a; _h[1] += b; _h[2] += c; _h[3] += d; _h[4] += e; _h[5] += f; _h[6] += g; _h[7] += h;
            }
        }
    }
}
