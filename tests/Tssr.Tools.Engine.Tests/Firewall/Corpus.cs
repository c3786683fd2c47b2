using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Tssr.Tools.Engine.Firewall.Analysis;
using Tssr.Tools.Engine.Firewall.Model;
using Tssr.Tools.Engine.Firewall.Parsers;

namespace Tssr.Tools.Engine.Tests.Firewall
{
    internal static class Corpus
    {
        public static string Directory
        {
            get
            {
                var dir = new DirectoryInfo(AppContext.BaseDirectory);
                while (dir != null && !System.IO.Directory.Exists(Path.Combine(dir.FullName, "tests", "Firewall", "corpus"))) dir = dir.Parent;
                if (dir == null) throw new InvalidOperationException("tests/Firewall/corpus not found above " + AppContext.BaseDirectory);
                return Path.Combine(dir.FullName, "tests", "Firewall", "corpus");
            }
        }

        public static string PathOf(string name) => Path.Combine(Directory, name);

        public static FirewallRuleSet Load(string name) => FirewallRuleSetReader.ReadFile(PathOf(name));

        public static FirewallRuleSet FromText(string text, string name = "test.rules") => FirewallRuleSetReader.ReadText(text, name);

        public static Packet Packet(string source, string destination, int port, string protocol = "tcp", ConnState state = ConnState.New, string? inInterface = "eth0", string? outInterface = null, int sourcePort = 50000, int icmpType = 8)
        {
            Assert(Addresses.TryParseAddress(source, out var fs, out var s), source);
            Assert(Addresses.TryParseAddress(destination, out var fd, out var d), destination);
            Assert(fs == fd, "same family");
            Assert(Protocols.TryParseProtocol(protocol, out var p), protocol);
            return new Packet(fs, p, s, d, sourcePort, port, state, inInterface, outInterface, icmpType);
        }

        private static void Assert(bool ok, string what)
        {
            if (!ok) throw new ArgumentException(what);
        }

        /// <summary>The flow oracle: one row per flow with the expected verdict and deciding line.</summary>
        public static IEnumerable<Dictionary<string, string>> Flows(string name)
        {
            var lines = File.ReadAllLines(PathOf(name)).Where(l => l.Trim().Length > 0).ToList();
            var header = lines[0].Split(',');
            foreach (var line in lines.Skip(1))
            {
                var cells = line.Split(',');
                var row = new Dictionary<string, string>();
                for (int i = 0; i < header.Length; i++) row[header[i]] = i < cells.Length ? cells[i] : "";
                yield return row;
            }
        }
    }
}
