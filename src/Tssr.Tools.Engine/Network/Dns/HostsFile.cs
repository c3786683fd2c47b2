using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Runtime.InteropServices;

namespace Tssr.Tools.Engine.Network.Dns
{
    /// <summary>
    /// The hosts file, read as the system's resolver reads it: "address name [aliases...]" per line,
    /// '#' starts a comment, names compared without case. Resolve-TssrDns answers from it first, as
    /// Resolve-DnsName does, so that "localhost" or a name pinned there gives what every other
    /// program on the machine gets.
    /// </summary>
    internal sealed class HostsFile
    {
        private readonly Dictionary<string, List<IPAddress>> _byName = new Dictionary<string, List<IPAddress>>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, List<string>> _byAddress = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);

        private HostsFile(string path) => Path = path;

        public string Path { get; }

        /// <summary>The system's hosts file.</summary>
        public static string SystemPath
            => RuntimeInformation.IsOSPlatform(OSPlatform.Windows)
                ? System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.System), "drivers", "etc", "hosts")
                : "/etc/hosts";

        /// <summary>Reads <paramref name="path"/>; a missing or unreadable file is an empty one (the resolver then asks DNS).</summary>
        public static HostsFile Load(string path)
        {
            var file = new HostsFile(path);
            string[] lines;
            try
            {
                lines = File.ReadAllLines(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is NotSupportedException || e is ArgumentException)
            {
                return file;
            }
            foreach (var line in lines) file.Add(line);
            return file;
        }

        /// <summary>Reads hosts-file text (for tests).</summary>
        public static HostsFile Parse(string path, string text)
        {
            var file = new HostsFile(path);
            foreach (var line in text.Split('\n')) file.Add(line);
            return file;
        }

        private void Add(string line)
        {
            var hash = line.IndexOf('#');
            var content = (hash >= 0 ? line.Substring(0, hash) : line).Trim();
            if (content.Length == 0) return;
            var fields = content.Split(new[] { ' ', '\t', '\r' }, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2 || !IPAddress.TryParse(fields[0], out var address)) return;
            foreach (var name in fields.Skip(1))
            {
                var trimmed = DnsNames.Trim(name);
                if (!_byName.TryGetValue(trimmed, out var addresses)) _byName[trimmed] = addresses = new List<IPAddress>();
                if (!addresses.Contains(address)) addresses.Add(address);
                var key = address.ToString();
                if (!_byAddress.TryGetValue(key, out var names)) _byAddress[key] = names = new List<string>();
                if (!names.Contains(trimmed, StringComparer.OrdinalIgnoreCase)) names.Add(trimmed);
            }
        }

        /// <summary>The addresses the file gives <paramref name="name"/>, in file order; empty when it does not list it.</summary>
        public IReadOnlyList<IPAddress> AddressesOf(string name)
            => _byName.TryGetValue(DnsNames.Trim(name), out var addresses) ? addresses : (IReadOnlyList<IPAddress>)Array.Empty<IPAddress>();

        /// <summary>The names the file gives <paramref name="address"/>: the first is the canonical one.</summary>
        public IReadOnlyList<string> NamesOf(IPAddress address)
            => _byAddress.TryGetValue(address.ToString(), out var names) ? names : (IReadOnlyList<string>)Array.Empty<string>();
    }
}
