using System;
using System.Globalization;
using System.Text;

namespace Tssr.Tools.Engine.Network.Arp
{
    /// <summary>Ethernet (MAC) addresses as text: lower case, colon-separated, as ip(8) and arping print them.</summary>
    public static class LinkAddress
    {
        public static string Format(byte[] mac)
        {
            if (mac == null) throw new ArgumentNullException(nameof(mac));
            var text = new StringBuilder(mac.Length * 3);
            for (var i = 0; i < mac.Length; i++)
            {
                if (i > 0) text.Append(':');
                text.Append(mac[i].ToString("x2", CultureInfo.InvariantCulture));
            }
            return text.ToString();
        }

        /// <summary>Reads aa:bb:cc:dd:ee:ff, AA-BB-CC-DD-EE-FF or aabbccddeeff; null when it is none of them.</summary>
        public static byte[]? Parse(string? text)
        {
            if (text == null) return null;
            var hex = text.Trim().Replace(":", string.Empty).Replace("-", string.Empty);
            if (hex.Length != 12) return null;
            var mac = new byte[6];
            for (var i = 0; i < 6; i++)
            {
                if (!byte.TryParse(hex.Substring(i * 2, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out mac[i]))
                    return null;
            }
            return mac;
        }

        /// <summary>True for the all-zero address that neighbour tables show for unresolved entries.</summary>
        public static bool IsZero(byte[] mac)
        {
            foreach (var b in mac) if (b != 0) return false;
            return true;
        }
    }
}
