using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Network.Tls
{
    /// <summary>One endpoint to check: a host (name or address), a port and the name to ask for.</summary>
    public sealed class TlsTarget
    {
        public TlsTarget(string host, int port, string? serverName = null)
        {
            if (string.IsNullOrEmpty(host)) throw new ArgumentException("A target needs a host.", nameof(host));
            if (port < 1 || port > 65535) throw new ArgumentOutOfRangeException(nameof(port));
            Host = host;
            Port = port;
            ServerName = string.IsNullOrEmpty(serverName) ? null : serverName;
        }

        /// <summary>The host as given: a DNS name, an IPv4 address or an IPv6 address (no brackets).</summary>
        public string Host { get; }
        public int Port { get; }
        /// <summary>The name sent in SNI and checked against the certificate, when it is not <see cref="Host"/>.</summary>
        public string? ServerName { get; }

        /// <summary>The name the certificate must cover: <see cref="ServerName"/>, else <see cref="Host"/>.</summary>
        public string ExpectedName => ServerName ?? Host;

        /// <summary>host:port, with brackets around an IPv6 address.</summary>
        public string Display => TlsTargetParser.Format(Host, Port);

        public override string ToString() => Display;
    }

    /// <summary>
    /// Reads what people type: host, host:port, [v6]:port, a bare IPv6 address, or a URL such as
    /// https://host:8443/path (the scheme gives the default port).
    /// </summary>
    public static class TlsTargetParser
    {
        private static readonly Localizer Text = NetworkText.Tls;

        private static readonly Dictionary<string, int> SchemePorts = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
        {
            ["https"] = 443,
            ["wss"] = 443,
            ["ldaps"] = 636,
            ["smtps"] = 465,
            ["imaps"] = 993,
            ["pop3s"] = 995,
            ["ftps"] = 990,
        };

        /// <summary>Parses one target; throws <see cref="TssrException"/> (TlsTargetInvalid) when it cannot.</summary>
        public static TlsTarget Parse(string text, int defaultPort = 443, string? serverName = null)
        {
            if (!TryParse(text, defaultPort, serverName, out var target, out var reason))
            {
                throw new TssrException("TlsTargetInvalid", TssrErrorCategory.InvalidArgument, text,
                    Text.Format("Error_TargetInvalid", text, reason), Text.Get("Action_TargetInvalid"));
            }
            return target!;
        }

        public static bool TryParse(string? text, int defaultPort, string? serverName, out TlsTarget? target, out string reason)
        {
            target = null;
            reason = string.Empty;
            var value = (text ?? string.Empty).Trim();
            if (value.Length == 0) { reason = Text.Get("Reason_Empty"); return false; }
            if (defaultPort < 1 || defaultPort > 65535) { reason = Text.Format("Reason_Port", defaultPort); return false; }

            string host;
            var port = defaultPort;
            var schemeEnd = value.IndexOf("://", StringComparison.Ordinal);
            if (schemeEnd > 0)
            {
                var scheme = value.Substring(0, schemeEnd);
                if (!SchemePorts.TryGetValue(scheme, out var schemePort)) { reason = Text.Format("Reason_Scheme", scheme); return false; }
                if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host)) { reason = Text.Get("Reason_Url"); return false; }
                host = uri.Host.StartsWith("[", StringComparison.Ordinal) ? uri.Host.Substring(1, uri.Host.Length - 2) : uri.Host;
                port = HasExplicitPort(value, schemeEnd + 3) && uri.Port > 0 ? uri.Port : schemePort;
            }
            else if (value[0] == '[')
            {
                var close = value.IndexOf(']');
                if (close < 0) { reason = Text.Get("Reason_Bracket"); return false; }
                host = value.Substring(1, close - 1);
                if (!IPAddress.TryParse(host, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6) { reason = Text.Format("Reason_NotIPv6", host); return false; }
                var rest = value.Substring(close + 1);
                if (rest.Length > 0)
                {
                    if (rest[0] != ':' || !TryPort(rest.Substring(1), out port)) { reason = Text.Format("Reason_Port", rest.TrimStart(':')); return false; }
                }
            }
            else
            {
                var colons = Count(value, ':');
                if (colons > 1)
                {
                    // A bare IPv6 address: its last group can never be read as a port.
                    if (!IPAddress.TryParse(value, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6) { reason = Text.Format("Reason_NotIPv6", value); return false; }
                    host = value;
                }
                else if (colons == 1)
                {
                    var colon = value.IndexOf(':');
                    host = value.Substring(0, colon);
                    if (!TryPort(value.Substring(colon + 1), out port)) { reason = Text.Format("Reason_Port", value.Substring(colon + 1)); return false; }
                }
                else
                {
                    host = value;
                }
            }

            host = host.TrimEnd('.');
            if (IPAddress.TryParse(host, out var address))
            {
                // Zone indexes (fe80::1%eth0) are kept as typed; everything else is normalised.
                if (host.IndexOf('%') < 0) host = address.ToString();
            }
            else if (!IsHostName(host))
            {
                reason = Text.Format("Reason_HostName", host);
                return false;
            }

            string? name = null;
            if (!string.IsNullOrWhiteSpace(serverName))
            {
                name = serverName!.Trim().TrimEnd('.');
                if (!IsHostName(name) && !IPAddress.TryParse(name, out _)) { reason = Text.Format("Reason_ServerName", serverName); return false; }
            }
            target = new TlsTarget(host, port, name);
            return true;
        }

        /// <summary>
        /// True for an address block that Network/Targets expands: a CIDR block (10.0.0.0/24) or a
        /// range (10.0.0.1-50). A URL's slashes and a host name's dashes do not count.
        /// </summary>
        public static bool IsAddressBlock(string? text)
        {
            var value = (text ?? string.Empty).Trim();
            if (value.IndexOf("://", StringComparison.Ordinal) >= 0) return false;
            if (value.IndexOf('/') > 0) return true;
            var dash = value.IndexOf('-');
            if (dash <= 0) return false;
            var left = value.Substring(0, dash).Trim();
            return IPAddress.TryParse(left, out _) && Targets.TargetParser.LooksLikeAddress(left);
        }

        /// <summary>
        /// The endpoints of an address block on <paramref name="port"/>: checked now (a malformed or
        /// oversized block throws <see cref="TssrException"/>), expanded lazily as they are checked.
        /// </summary>
        public static IEnumerable<TlsTarget> ExpandBlock(string text, int port, string? serverName, out long count)
        {
            count = Targets.TargetParser.Count(text);
            if (!TryParse("127.0.0.1", port, serverName, out _, out var reason))
            {
                throw new TssrException("TlsTargetInvalid", TssrErrorCategory.InvalidArgument, text,
                    Text.Format("Error_TargetInvalid", text, reason), Text.Get("Action_TargetInvalid"));
            }
            var name = string.IsNullOrWhiteSpace(serverName) ? null : serverName!.Trim().TrimEnd('.');
            return Expand(text, port, name);
        }

        private static IEnumerable<TlsTarget> Expand(string text, int port, string? serverName)
        {
            foreach (var spec in Targets.TargetParser.Expand(text))
            {
                yield return new TlsTarget(spec.Address!.ToString(), port, serverName);
            }
        }

        /// <summary>host:port, with brackets around an IPv6 address.</summary>
        public static string Format(string host, int port)
            => host.IndexOf(':') >= 0 ? "[" + host + "]:" + port.ToString(CultureInfo.InvariantCulture) : host + ":" + port.ToString(CultureInfo.InvariantCulture);

        /// <summary>
        /// A DNS name as people type it: labels of letters, digits, '-' and '_' (seen in internal
        /// names), or non-ASCII letters for internationalised names; no empty label.
        /// </summary>
        public static bool IsHostName(string name)
        {
            if (string.IsNullOrEmpty(name) || name.Length > 253) return false;
            foreach (var label in name.Split('.'))
            {
                if (label.Length == 0 || label.Length > 63) return false;
                if (label[0] == '-' || label[label.Length - 1] == '-') return false;
                foreach (var c in label)
                {
                    var ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || (c > 127 && char.IsLetterOrDigit(c));
                    if (!ok) return false;
                }
            }
            return true;
        }

        private static bool HasExplicitPort(string url, int authorityStart)
        {
            var end = url.IndexOfAny(new[] { '/', '?', '#' }, authorityStart);
            var authority = end < 0 ? url.Substring(authorityStart) : url.Substring(authorityStart, end - authorityStart);
            var at = authority.LastIndexOf('@');
            if (at >= 0) authority = authority.Substring(at + 1);
            var close = authority.LastIndexOf(']');
            return authority.IndexOf(':', close + 1) >= 0;
        }

        private static bool TryPort(string text, out int port)
            => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port >= 1 && port <= 65535;

        private static int Count(string s, char c)
        {
            var n = 0;
            foreach (var x in s) if (x == c) n++;
            return n;
        }
    }
}
