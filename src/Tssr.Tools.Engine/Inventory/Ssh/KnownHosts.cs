using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Inventory.Ssh
{
    /// <summary>What known_hosts says about the key a server presented.</summary>
    public enum HostKeyVerdict
    {
        /// <summary>A line for this host holds exactly this key.</summary>
        Trusted,
        /// <summary>No line names this host.</summary>
        Unknown,
        /// <summary>Lines name this host with other keys: refused whatever the switches.</summary>
        Changed,
        /// <summary>The key is marked @revoked.</summary>
        Revoked,
    }

    /// <summary>One line of a known_hosts file, with where it came from.</summary>
    internal sealed class KnownHostsLine
    {
        public KnownHostsLine(string file, int lineNumber, string? marker, string[] patterns, string keyType, byte[] keyBlob)
        {
            File = file;
            LineNumber = lineNumber;
            Marker = marker;
            Patterns = patterns;
            KeyType = keyType;
            KeyBlob = keyBlob;
        }

        public string File { get; }
        public int LineNumber { get; }
        /// <summary>"@revoked", "@cert-authority" or null.</summary>
        public string? Marker { get; }
        public string[] Patterns { get; }
        public string KeyType { get; }
        public byte[] KeyBlob { get; }

        /// <summary>OpenSSH's rule: a host matches when a positive pattern matches and no negated one does.</summary>
        public bool Matches(string name)
        {
            var positive = false;
            foreach (var p in Patterns)
            {
                if (p.StartsWith("|1|", StringComparison.Ordinal))
                {
                    if (HashedMatch(p, name)) positive = true;
                    continue;
                }
                if (p.StartsWith("!", StringComparison.Ordinal))
                {
                    if (Wildcard(p.Substring(1), name)) return false;
                    continue;
                }
                if (Wildcard(p, name)) positive = true;
            }
            return positive;
        }

        private static bool HashedMatch(string pattern, string name)
        {
            var parts = pattern.Split('|');
            // "", "1", salt, hash
            if (parts.Length != 4) return false;
            try
            {
                var salt = Convert.FromBase64String(parts[2]);
                var expected = Convert.FromBase64String(parts[3]);
                using (var hmac = new HMACSHA1(salt))
                {
                    var actual = hmac.ComputeHash(Encoding.ASCII.GetBytes(name));
                    return actual.SequenceEqual(expected);
                }
            }
            catch (FormatException)
            {
                return false;
            }
        }

        /// <summary>OpenSSH's match_pattern: '*' any run, '?' one character, case-insensitive.</summary>
        internal static bool Wildcard(string pattern, string text)
        {
            pattern = pattern.ToLowerInvariant();
            text = text.ToLowerInvariant();
            int p = 0, t = 0, star = -1, mark = 0;
            while (t < text.Length)
            {
                if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == text[t])) { p++; t++; }
                else if (p < pattern.Length && pattern[p] == '*') { star = p++; mark = t; }
                else if (star >= 0) { p = star + 1; t = ++mark; }
                else return false;
            }
            while (p < pattern.Length && pattern[p] == '*') p++;
            return p == pattern.Length;
        }
    }

    /// <summary>The outcome of checking a presented key against the known_hosts files.</summary>
    public sealed class HostKeyCheck
    {
        internal HostKeyCheck(HostKeyVerdict verdict, string keyType, string fingerprint, string? file, int line, IReadOnlyList<string> notes)
        {
            Verdict = verdict;
            KeyType = keyType;
            Fingerprint = fingerprint;
            File = file;
            Line = line;
            Notes = notes;
        }

        public HostKeyVerdict Verdict { get; }
        public string KeyType { get; }
        /// <summary>SHA256:base64 without padding, as ssh-keygen -l writes it.</summary>
        public string Fingerprint { get; }
        /// <summary>The file and line that trusted, revoked or contradicted the key.</summary>
        public string? File { get; }
        public int Line { get; }
        /// <summary>Lines skipped (malformed, @cert-authority), for verbose output.</summary>
        public IReadOnlyList<string> Notes { get; }
    }

    /// <summary>
    /// OpenSSH's known_hosts, read and written by the module itself (SSH.NET has no support):
    /// plain and hashed (|1|salt|hash) names, [host]:port, comma lists, wildcards and negations,
    /// @revoked; @cert-authority lines are reported as unsupported and never trust a key.
    /// </summary>
    public sealed class KnownHosts
    {
        private readonly List<KnownHostsLine> _lines = new List<KnownHostsLine>();
        private readonly List<string> _notes = new List<string>();

        private KnownHosts(IReadOnlyList<string> files)
        {
            Files = files;
        }

        /// <summary>The files read, in order.</summary>
        public IReadOnlyList<string> Files { get; }

        internal IReadOnlyList<KnownHostsLine> Lines => _lines;

        /// <summary>The user's, the system's and any extra files; missing files are skipped.</summary>
        public static IReadOnlyList<string> DefaultFiles()
        {
            var home = Environment.GetEnvironmentVariable("HOME");
            if (string.IsNullOrEmpty(home)) home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            var list = new List<string>();
            if (!string.IsNullOrEmpty(home)) list.Add(Path.Combine(home, ".ssh", "known_hosts"));
            list.Add(Path.DirectorySeparatorChar == '\\'
                ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.CommonApplicationData), "ssh", "ssh_known_hosts")
                : "/etc/ssh/ssh_known_hosts");
            return list;
        }

        /// <summary>The file that -AcceptNewHostKey appends to: the first -KnownHostsPath, else ~/.ssh/known_hosts.</summary>
        public static string WritableFile(IReadOnlyList<string>? extraFiles)
            => extraFiles != null && extraFiles.Count > 0 ? extraFiles[0] : DefaultFiles()[0];

        /// <summary>Reads <paramref name="files"/> (missing ones are skipped; unreadable ones are an error).</summary>
        public static KnownHosts Load(IEnumerable<string> files)
        {
            var list = files.Where(f => !string.IsNullOrEmpty(f)).Distinct().ToList();
            var known = new KnownHosts(list);
            foreach (var file in list)
            {
                if (!System.IO.File.Exists(file)) continue;
                string[] text;
                try
                {
                    text = System.IO.File.ReadAllLines(file);
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    throw new TssrException("SshKnownHostsUnreadable", TssrErrorCategory.ReadError, file,
                        InventoryText.Strings.Format("Error_KnownHostsUnreadable", file, e.Message), null, e);
                }
                known.Parse(file, text);
            }
            return known;
        }

        /// <summary>Parses known_hosts text (for tests and recorded files).</summary>
        public static KnownHosts Parse(string file, string text)
        {
            var known = new KnownHosts(new[] { file });
            known.Parse(file, text.Replace("\r\n", "\n").Split('\n'));
            return known;
        }

        private void Parse(string file, string[] lines)
        {
            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i].Trim();
                if (line.Length == 0 || line[0] == '#') continue;
                var fields = line.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
                var at = 0;
                string? marker = null;
                if (fields[0].StartsWith("@", StringComparison.Ordinal))
                {
                    marker = fields[0].ToLowerInvariant();
                    at = 1;
                    if (marker != "@revoked" && marker != "@cert-authority")
                    {
                        _notes.Add(InventoryText.Strings.Format("Note_KnownHostsBadMarker", file, i + 1, fields[0]));
                        continue;
                    }
                }
                if (fields.Length < at + 3)
                {
                    _notes.Add(InventoryText.Strings.Format("Note_KnownHostsMalformed", file, i + 1));
                    continue;
                }
                byte[] blob;
                try
                {
                    blob = Convert.FromBase64String(fields[at + 2]);
                }
                catch (FormatException)
                {
                    _notes.Add(InventoryText.Strings.Format("Note_KnownHostsMalformed", file, i + 1));
                    continue;
                }
                var patterns = fields[at].Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries);
                _lines.Add(new KnownHostsLine(file, i + 1, marker, patterns, fields[at + 1], blob));
            }
        }

        /// <summary>The key types known_hosts holds for <paramref name="endpoint"/>, most recent file first.</summary>
        public IReadOnlyList<string> KnownKeyTypes(SshEndpoint endpoint)
            => _lines.Where(l => l.Marker == null && l.Matches(endpoint.KnownHostsName)).Select(l => l.KeyType).Distinct().ToList();

        /// <summary>
        /// Checks the key blob a server presented, the way OpenSSH's ssh does: a revoked key is
        /// refused; a matching line with this key trusts it; lines for the host with other keys
        /// mean the key changed; otherwise it is unknown.
        /// </summary>
        public HostKeyCheck Check(SshEndpoint endpoint, byte[] keyBlob)
        {
            var name = endpoint.KnownHostsName;
            var keyType = KeyTypeOf(keyBlob);
            var fingerprint = Fingerprint(keyBlob);
            var notes = new List<string>(_notes);
            foreach (var line in _lines)
            {
                if (line.Marker == "@revoked" && line.KeyBlob.SequenceEqual(keyBlob) && line.Matches(name))
                    return new HostKeyCheck(HostKeyVerdict.Revoked, keyType, fingerprint, line.File, line.LineNumber, notes);
            }
            KnownHostsLine? changed = null;
            foreach (var line in _lines)
            {
                if (!line.Matches(name)) continue;
                if (line.Marker == "@cert-authority")
                {
                    notes.Add(InventoryText.Strings.Format("Note_KnownHostsCertAuthority", line.File, line.LineNumber));
                    continue;
                }
                if (line.Marker != null) continue;
                if (line.KeyBlob.SequenceEqual(keyBlob))
                    return new HostKeyCheck(HostKeyVerdict.Trusted, keyType, fingerprint, line.File, line.LineNumber, notes);
                if (changed == null) changed = line;
            }
            return changed != null
                ? new HostKeyCheck(HostKeyVerdict.Changed, keyType, fingerprint, changed.File, changed.LineNumber, notes)
                : new HostKeyCheck(HostKeyVerdict.Unknown, keyType, fingerprint, null, 0, notes);
        }

        /// <summary>The line -AcceptNewHostKey appends: "[host]:port type base64" (plain, as ssh writes with HashKnownHosts no).</summary>
        public static string FormatEntry(SshEndpoint endpoint, byte[] keyBlob)
            => endpoint.KnownHostsName + " " + KeyTypeOf(keyBlob) + " " + Convert.ToBase64String(keyBlob);

        /// <summary>Appends the entry, creating the file (and ~/.ssh, mode 700 on Unix) when needed.</summary>
        public static void Append(string file, SshEndpoint endpoint, byte[] keyBlob)
        {
            try
            {
                var directory = Path.GetDirectoryName(Path.GetFullPath(file));
                if (!string.IsNullOrEmpty(directory) && !System.IO.Directory.Exists(directory))
                    System.IO.Directory.CreateDirectory(directory);
                var entry = FormatEntry(endpoint, keyBlob);
                var needsNewline = System.IO.File.Exists(file) && EndsWithoutNewline(file);
                System.IO.File.AppendAllText(file, (needsNewline ? "\n" : string.Empty) + entry + "\n", new UTF8Encoding(false));
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new TssrException("SshKnownHostsWriteFailed", TssrErrorCategory.WriteError, file,
                    InventoryText.Strings.Format("Error_KnownHostsWriteFailed", file, e.Message), null, e);
            }
        }

        private static bool EndsWithoutNewline(string file)
        {
            using (var stream = System.IO.File.OpenRead(file))
            {
                if (stream.Length == 0) return false;
                stream.Seek(-1, SeekOrigin.End);
                return stream.ReadByte() != '\n';
            }
        }

        /// <summary>SHA256:… (base64 without '=' padding), as OpenSSH prints fingerprints.</summary>
        public static string Fingerprint(byte[] keyBlob)
        {
            using (var sha = SHA256.Create())
                return "SHA256:" + Convert.ToBase64String(sha.ComputeHash(keyBlob)).TrimEnd('=');
        }

        /// <summary>The key type string at the start of an SSH public key blob ("ssh-ed25519").</summary>
        public static string KeyTypeOf(byte[] keyBlob)
        {
            if (keyBlob == null || keyBlob.Length < 4) return "unknown";
            var length = (keyBlob[0] << 24) | (keyBlob[1] << 16) | (keyBlob[2] << 8) | keyBlob[3];
            if (length <= 0 || length > 64 || 4 + length > keyBlob.Length) return "unknown";
            return Encoding.ASCII.GetString(keyBlob, 4, length);
        }

        /// <summary>Reads "type base64 [comment]" (a .pub file) into a key blob; null when malformed.</summary>
        public static byte[]? ParsePublicKey(string text)
        {
            var fields = (text ?? string.Empty).Trim().Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2) return null;
            try
            {
                var blob = Convert.FromBase64String(fields[1]);
                return KeyTypeOf(blob) == fields[0] ? blob : null;
            }
            catch (FormatException)
            {
                return null;
            }
        }
    }
}
