using System;
using System.Text;
using Tssr.Tools.Engine.Snmp;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Snmp
{
    /// <summary>USM key derivation and ciphers against the published vectors; the lab's snmpd checks every pair end to end.</summary>
    public class UsmCryptoTests
    {
        private static readonly byte[] MapleSyrup = Encoding.ASCII.GetBytes("maplesyrup");
        private static readonly byte[] EngineId = Convert.FromHexString("000000000000000000000002");

        [Fact]
        public void MD5_key_localisation_matches_RFC_3414_A_3_1()
        {
            var ku = UsmCrypto.PasswordToKey(SnmpAuthProtocol.MD5, MapleSyrup);
            Assert.Equal("9FAF3283884E92834EBC9847D8EDD963", Convert.ToHexString(ku));
            Assert.Equal("526F5EED9FCCE26F8964C2930787D82B", Convert.ToHexString(UsmCrypto.Localize(SnmpAuthProtocol.MD5, ku, EngineId)));
        }

        [Fact]
        public void SHA1_key_localisation_matches_RFC_3414_A_3_2()
        {
            var ku = UsmCrypto.PasswordToKey(SnmpAuthProtocol.SHA1, MapleSyrup);
            Assert.Equal("9FB5CC0381497B3793528939FF788D5D79145211", Convert.ToHexString(ku));
            Assert.Equal("6695FEBC9288E36282235FC7151F128497B38F3F", Convert.ToHexString(UsmCrypto.Localize(SnmpAuthProtocol.SHA1, ku, EngineId)));
        }

        [Theory]
        [InlineData("", "D14A028C2A3A2BC9476102BB288234C415A2B01F828EA62AC5B3E42F")]
        [InlineData("abc", "23097D223405D8228642A477BDA255B32AADBCE4BDA0B3F7E36C9DA7")]
        [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "75388B16512776CC5DBA5DA1FD890150B0C6455CB4F58B1952522525")]
        public void SHA224_matches_FIPS_180_4(string input, string expected)
            => Assert.Equal(expected, Convert.ToHexString(UsmCrypto.Hash(SnmpAuthProtocol.SHA224, Encoding.ASCII.GetBytes(input))));

        [Fact]
        public void SHA224_over_many_blocks_matches_the_one_million_a_vector()
        {
            var data = new byte[1000000];
            Array.Fill(data, (byte)'a');
            Assert.Equal("20794655980C91D8BBB4C1EA97618A4BF03F42581948B2EE4EE7AD67", Convert.ToHexString(UsmCrypto.Hash(SnmpAuthProtocol.SHA224, data)));
        }

        [Theory]
        [InlineData(SnmpAuthProtocol.MD5, 12)]
        [InlineData(SnmpAuthProtocol.SHA1, 12)]
        [InlineData(SnmpAuthProtocol.SHA224, 16)]
        [InlineData(SnmpAuthProtocol.SHA256, 24)]
        [InlineData(SnmpAuthProtocol.SHA384, 32)]
        [InlineData(SnmpAuthProtocol.SHA512, 48)]
        public void HMAC_is_truncated_as_RFC_3414_and_RFC_7860_say(SnmpAuthProtocol protocol, int length)
            => Assert.Equal(length, UsmCrypto.Mac(protocol, new byte[UsmCrypto.DigestLength(protocol)], Encoding.ASCII.GetBytes("x")).Length);

        [Fact]
        public void HMAC_SHA256_matches_RFC_4231_case_2_truncated()
        {
            var mac = UsmCrypto.Mac(SnmpAuthProtocol.SHA256, Encoding.ASCII.GetBytes("Jefe"), Encoding.ASCII.GetBytes("what do ya want for nothing?"));
            Assert.Equal("5BDCC146BF60754E6A042426089575C75A003F089D273983", Convert.ToHexString(mac));
        }

        [Fact]
        public void AES_192_and_256_keys_are_extended_as_net_snmp_does()
        {
            var kul = UsmCrypto.Localize(SnmpAuthProtocol.MD5, UsmCrypto.PasswordToKey(SnmpAuthProtocol.MD5, MapleSyrup), EngineId);
            var key = UsmCrypto.PrivacyKey(SnmpAuthProtocol.MD5, SnmpPrivacyProtocol.AES256, kul);
            var expected = new byte[32];
            Buffer.BlockCopy(kul, 0, expected, 0, 16);
            Buffer.BlockCopy(UsmCrypto.Hash(SnmpAuthProtocol.MD5, kul), 0, expected, 16, 16);
            Assert.Equal(expected, key);
            Assert.Equal(24, UsmCrypto.PrivacyKey(SnmpAuthProtocol.SHA1, SnmpPrivacyProtocol.AES192, UsmCrypto.Localize(SnmpAuthProtocol.SHA1, UsmCrypto.PasswordToKey(SnmpAuthProtocol.SHA1, MapleSyrup), EngineId)).Length);
        }

        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        [InlineData(16)]
        [InlineData(37)]
        public void AES_CFB_and_DES_CBC_decrypt_what_they_encrypt(int length)
        {
            var plain = new byte[length];
            new Random(length).NextBytes(plain);
            var key = new byte[32];
            new Random(7).NextBytes(key);
            var salt = new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 };
            var aes = UsmCrypto.AesCfb(key, 5, 1234, salt, plain, encrypt: true);
            Assert.Equal(length, aes.Length);
            Assert.Equal(plain, UsmCrypto.AesCfb(key, 5, 1234, salt, aes, encrypt: false));
            var des = UsmCrypto.DesEncrypt(key, salt, plain);
            Assert.Equal(0, des.Length % 8);
            Assert.Equal(plain, UsmCrypto.DesDecrypt(key, salt, des)[..length]);
        }

        [Fact]
        public void AES_CFB_matches_the_NIST_SP_800_38A_F_3_13_vector()
        {
            // CFB128-AES128 encrypt: key 2b7e…3c, IV 000102…0f; the IV is built from boots, time and salt.
            var key = Convert.FromHexString("2B7E151628AED2A6ABF7158809CF4F3C");
            var plain = Convert.FromHexString("6BC1BEE22E409F96E93D7E117393172AAE2D8A571E03AC9C9EB76FAC45AF8E51");
            var cipher = UsmCrypto.AesCfb(key, 0x00010203, 0x04050607, Convert.FromHexString("08090A0B0C0D0E0F"), plain, encrypt: true);
            Assert.Equal("3B3FD92EB72DAD20333449F8E83CFB4AC8A64537A0B3A93FCDE3CDAD9F1CE58B", Convert.ToHexString(cipher));
        }
    }
}
