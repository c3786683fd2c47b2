using System;
using System.Globalization;
using System.Net;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Snmp
{
    /// <summary>An agent as typed: host, host:port, address, [IPv6]:port (port 161 by default).</summary>
    public sealed class SnmpEndpoint
    {
        public const int DefaultPort = 161;

        private SnmpEndpoint(string input, string host, int port)
        {
            Input = input;
            Host = host;
            Port = port;
        }

        public string Input { get; }
        public string Host { get; }
        public int Port { get; }

        /// <summary>Reads <paramref name="text"/>; throws <see cref="TssrException"/> SnmpInvalidTarget naming it.</summary>
        public static SnmpEndpoint Parse(string? text, int defaultPort = DefaultPort)
        {
            var input = (text ?? string.Empty).Trim();
            if (input.Length == 0) throw Invalid(text ?? string.Empty);
            string host;
            var port = defaultPort;
            if (input.StartsWith("[", StringComparison.Ordinal))
            {
                var close = input.IndexOf(']');
                if (close < 0) throw Invalid(input);
                host = input.Substring(1, close - 1);
                var rest = input.Substring(close + 1);
                if (rest.Length > 0)
                {
                    if (!rest.StartsWith(":", StringComparison.Ordinal) || !TryPort(rest.Substring(1), out port)) throw Invalid(input);
                }
                if (!IPAddress.TryParse(host, out _)) throw Invalid(input);
            }
            else
            {
                var first = input.IndexOf(':');
                if (first >= 0 && first == input.LastIndexOf(':'))
                {
                    host = input.Substring(0, first);
                    if (!TryPort(input.Substring(first + 1), out port)) throw Invalid(input);
                }
                else
                {
                    host = input;
                    if (first >= 0 && !IPAddress.TryParse(host, out _)) throw Invalid(input);
                }
            }
            if (host.Length == 0 || host.IndexOfAny(new[] { ' ', '/', '\\', '@' }) >= 0) throw Invalid(input);
            return new SnmpEndpoint(input, host, port);
        }

        private static bool TryPort(string text, out int port)
            => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port >= 1 && port <= 65535;

        private static TssrException Invalid(string input)
            => new TssrException("SnmpInvalidTarget", TssrErrorCategory.InvalidArgument, input,
                SnmpText.Strings.Format("Error_InvalidTarget", input), SnmpText.Strings.Get("Action_InvalidTarget"));

        public override string ToString() => Port == DefaultPort ? Host : (Host.IndexOf(':') >= 0 ? "[" + Host + "]:" + Port : Host + ":" + Port);
    }
}
