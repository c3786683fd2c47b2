using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Tssr.Tools.Engine.Snmp
{
    /// <summary>An OBJECT IDENTIFIER: immutable, ordered as SNMP orders them (lexicographically by sub-identifier).</summary>
    public sealed class Oid : IEquatable<Oid>, IComparable<Oid>
    {
        /// <summary>RFC 3416: at most 128 sub-identifiers.</summary>
        public const int MaxSubidentifiers = 128;

        private readonly uint[] _parts;

        public Oid(IReadOnlyList<uint> parts)
        {
            if (parts.Count < 2 || parts.Count > MaxSubidentifiers || parts[0] > 2 || (parts[0] < 2 && parts[1] >= 40) || (parts[0] == 2 && parts[1] > uint.MaxValue - 80))
                throw new ArgumentException(SnmpText.Strings.Get("Oid_InvalidParts"), nameof(parts));
            _parts = new uint[parts.Count];
            for (var i = 0; i < parts.Count; i++) _parts[i] = parts[i];
        }

        public IReadOnlyList<uint> Parts => _parts;

        public int Depth => _parts.Length;

        public uint this[int index] => _parts[index];

        /// <summary>Parses a dotted numeric OID (a leading dot allowed); false when it is not one.</summary>
        public static bool TryParse(string? text, out Oid? oid)
        {
            oid = null;
            if (string.IsNullOrWhiteSpace(text)) return false;
            var body = text!.Trim();
            if (body.StartsWith(".", StringComparison.Ordinal)) body = body.Substring(1);
            var pieces = body.Split('.');
            if (pieces.Length < 2 || pieces.Length > MaxSubidentifiers) return false;
            var parts = new uint[pieces.Length];
            for (var i = 0; i < pieces.Length; i++)
            {
                var p = pieces[i];
                if (p.Length == 0 || p.Length > 10) return false;
                foreach (var c in p) if (c < '0' || c > '9') return false;
                if (!uint.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out parts[i])) return false;
            }
            if (parts[0] > 2 || (parts[0] < 2 && parts[1] >= 40) || (parts[0] == 2 && parts[1] > uint.MaxValue - 80)) return false;
            oid = new Oid(parts);
            return true;
        }

        public static Oid Parse(string text)
        {
            if (TryParse(text, out var oid)) return oid!;
            throw new FormatException(SnmpText.Strings.Format("Oid_Invalid", text));
        }

        public bool StartsWith(Oid prefix)
        {
            if (prefix._parts.Length > _parts.Length) return false;
            for (var i = 0; i < prefix._parts.Length; i++)
                if (_parts[i] != prefix._parts[i]) return false;
            return true;
        }

        public Oid Append(params uint[] more)
        {
            var parts = new uint[_parts.Length + more.Length];
            Array.Copy(_parts, parts, _parts.Length);
            Array.Copy(more, 0, parts, _parts.Length, more.Length);
            return new Oid(parts);
        }

        /// <summary>The sub-identifiers after <paramref name="prefix"/> (the index of a table cell).</summary>
        public uint[] SuffixAfter(Oid prefix)
        {
            var suffix = new uint[_parts.Length - prefix._parts.Length];
            Array.Copy(_parts, prefix._parts.Length, suffix, 0, suffix.Length);
            return suffix;
        }

        internal byte[] EncodeContent()
        {
            var bytes = new List<byte>(_parts.Length + 4);
            EncodeSubidentifier(bytes, (ulong)_parts[0] * 40 + _parts[1]);
            for (var i = 2; i < _parts.Length; i++) EncodeSubidentifier(bytes, _parts[i]);
            return bytes.ToArray();
        }

        private static void EncodeSubidentifier(List<byte> bytes, ulong value)
        {
            var groups = new Stack<byte>();
            groups.Push((byte)(value & 0x7F));
            value >>= 7;
            while (value > 0)
            {
                groups.Push((byte)(0x80 | (value & 0x7F)));
                value >>= 7;
            }
            bytes.AddRange(groups);
        }

        public int CompareTo(Oid? other)
        {
            if (other is null) return 1;
            var n = Math.Min(_parts.Length, other._parts.Length);
            for (var i = 0; i < n; i++)
            {
                if (_parts[i] != other._parts[i]) return _parts[i] < other._parts[i] ? -1 : 1;
            }
            return _parts.Length.CompareTo(other._parts.Length);
        }

        public bool Equals(Oid? other) => other is not null && CompareTo(other) == 0;

        public override bool Equals(object? obj) => obj is Oid o && Equals(o);

        public override int GetHashCode()
        {
            var hash = 17;
            foreach (var p in _parts) hash = unchecked(hash * 31 + (int)p);
            return hash;
        }

        /// <summary>Dotted form without a leading dot: 1.3.6.1.2.1.1.1.0.</summary>
        public override string ToString()
        {
            var text = new StringBuilder(_parts.Length * 3);
            for (var i = 0; i < _parts.Length; i++)
            {
                if (i > 0) text.Append('.');
                text.Append(_parts[i].ToString(CultureInfo.InvariantCulture));
            }
            return text.ToString();
        }
    }
}
