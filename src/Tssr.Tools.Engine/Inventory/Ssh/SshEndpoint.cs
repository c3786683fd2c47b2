using System;
using System.Globalization;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Inventory.Ssh
{
    /// <summary>A host and port as a user types them: host, host:port, IPv6, [IPv6]:port.</summary>
    public sealed class SshEndpoint
    {
        public const int DefaultPort = 22;

        private SshEndpoint(string host, int port, string text)
        {
            Host = host;
            Port = port;
            Text = text;
        }

        /// <summary>The host name or address, without brackets.</summary>
        public string Host { get; }
        public int Port { get; }
        /// <summary>As given.</summary>
        public string Text { get; }

        /// <summary>The name known_hosts uses: host on port 22, [host]:port otherwise.</summary>
        public string KnownHostsName => Port == DefaultPort ? Host.ToLowerInvariant() : "[" + Host.ToLowerInvariant() + "]:" + Port.ToString(CultureInfo.InvariantCulture);

        /// <summary>host:port, IPv6 in brackets.</summary>
        public string Display => (Host.IndexOf(':') >= 0 ? "[" + Host + "]" : Host) + ":" + Port.ToString(CultureInfo.InvariantCulture);

        public override string ToString() => Display;

        /// <summary>
        /// Parses <paramref name="text"/>; <paramref name="defaultPort"/> applies when the text has
        /// none. An explicit port in the text wins over the default.
        /// </summary>
        public static SshEndpoint Parse(string? text, int defaultPort = DefaultPort)
        {
            var t = (text ?? string.Empty).Trim();
            if (t.Length == 0) throw Invalid(text);
            var host = t;
            var port = defaultPort;
            if (t[0] == '[')
            {
                var close = t.IndexOf(']');
                if (close < 2) throw Invalid(text);
                host = t.Substring(1, close - 1);
                var rest = t.Substring(close + 1);
                if (rest.Length > 0)
                {
                    if (rest[0] != ':' || !TryPort(rest.Substring(1), out port)) throw Invalid(text);
                }
            }
            else
            {
                var first = t.IndexOf(':');
                if (first >= 0 && first == t.LastIndexOf(':'))
                {
                    host = t.Substring(0, first);
                    if (host.Length == 0 || !TryPort(t.Substring(first + 1), out port)) throw Invalid(text);
                }
            }
            if (port < 1 || port > 65535) throw Invalid(text);
            foreach (var c in host)
            {
                if (char.IsWhiteSpace(c) || c == '/' || c == '@' || c == '[' || c == ']' || c == ',' || char.IsControl(c)) throw Invalid(text);
            }
            return new SshEndpoint(host, port, t);
        }

        private static bool TryPort(string s, out int port)
            => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port >= 1 && port <= 65535;

        private static TssrException Invalid(string? text)
            => new TssrException("SshComputerNameInvalid", TssrErrorCategory.InvalidArgument, text,
                InventoryText.Strings.Format("Error_ComputerNameInvalid", text ?? string.Empty),
                InventoryText.Strings.Get("Action_ComputerNameInvalid"));
    }
}
