using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Network.Dns
{
    /// <summary>
    /// A server as the user wrote it: host, host:port, IPv4:port, a bare IPv6 address or
    /// [IPv6]:port. The port defaults to 53.
    /// </summary>
    public sealed class DnsServerAddress
    {
        public const int DefaultPort = 53;

        private DnsServerAddress(string text, string host, int port, IPAddress? address)
        {
            Text = text;
            Host = host;
            Port = port;
            Address = address;
        }

        /// <summary>As given.</summary>
        public string Text { get; }

        /// <summary>The host name or address, without brackets.</summary>
        public string Host { get; }

        public int Port { get; }

        /// <summary>Set when the host is an address (no name resolution needed).</summary>
        public IPAddress? Address { get; }

        public override string ToString() => Format(Host, Port);

        /// <summary>address:port, with IPv6 in brackets.</summary>
        public static string Format(string host, int port)
            => (host.IndexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port.ToString(CultureInfo.InvariantCulture);

        public static string Format(IPAddress address, int port) => Format(address.ToString(), port);

        /// <summary>Parses a server as the user wrote it; a bad one is a terminating DnsServerInvalid error.</summary>
        public static DnsServerAddress Parse(string? text)
        {
            if (TryParse(text, out var server, out var reason))
                return server!;
            throw new TssrException("DnsServerInvalid", TssrErrorCategory.InvalidArgument, text,
                DnsResolver.Text.Format("Error_ServerInvalid", text, reason), DnsResolver.Text.Get("Action_ServerInvalid"));
        }

        public static bool TryParse(string? text, out DnsServerAddress? server, out string reason)
        {
            server = null;
            reason = string.Empty;
            var s = (text ?? string.Empty).Trim();
            if (s.Length == 0)
            {
                reason = "empty";
                return false;
            }

            string host;
            string? portText = null;
            if (s[0] == '[')
            {
                var close = s.IndexOf(']');
                if (close < 0)
                {
                    reason = "missing ']'";
                    return false;
                }
                host = s.Substring(1, close - 1);
                var rest = s.Substring(close + 1);
                if (rest.Length > 0)
                {
                    if (rest[0] != ':')
                    {
                        reason = "expected ':port' after ']'";
                        return false;
                    }
                    portText = rest.Substring(1);
                }
                if (!IPAddress.TryParse(host, out var inBrackets) || inBrackets.AddressFamily != AddressFamily.InterNetworkV6)
                {
                    reason = "only an IPv6 address goes between brackets";
                    return false;
                }
            }
            else
            {
                var colons = Count(s, ':');
                if (colons > 1)
                {
                    // A bare IPv6 address: its port can only be given in the [address]:port form.
                    host = s;
                    if (!IPAddress.TryParse(host, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
                    {
                        reason = "not an IPv6 address (write [address]:port to give a port)";
                        return false;
                    }
                }
                else if (colons == 1)
                {
                    var colon = s.IndexOf(':');
                    host = s.Substring(0, colon);
                    portText = s.Substring(colon + 1);
                }
                else
                {
                    host = s;
                }
            }

            var port = DefaultPort;
            if (portText != null)
            {
                if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port < 1 || port > 65535)
                {
                    reason = "the port must be a number from 1 to 65535";
                    return false;
                }
            }

            if (host.Length == 0)
            {
                reason = "no host before the port";
                return false;
            }

            IPAddress? address = null;
            if (host.IndexOf(':') >= 0)
            {
                address = IPAddress.Parse(host); // checked above; keeps the scope of a link-local address
                host = address.ToString();
            }
            else if (DnsNames.TryParseAddress(host, out address))
            {
                host = address!.ToString();
            }
            else if (!DnsNames.TryPrepare(host, out _, out var nameReason) || host.IndexOfAny(new[] { '/', '@', '[', ']' }) >= 0)
            {
                reason = nameReason.Length > 0 ? nameReason : "not a host name";
                return false;
            }

            server = new DnsServerAddress(s, host, port, address);
            return true;
        }

        private static int Count(string s, char c)
        {
            var n = 0;
            foreach (var x in s) if (x == c) n++;
            return n;
        }
    }
}
