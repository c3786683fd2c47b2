using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using Tssr.Tools.Engine.Inventory.Model;
using Tssr.Tools.Engine.Inventory.Ssh;

namespace Tssr.Tools.Engine.Inventory.Collectors
{
    /// <summary>
    /// Turns the sections of the POSIX collector into a <see cref="ServerInventory"/>. Each fact is
    /// read on its own: one that fails (command missing, non-zero exit, output it cannot read) is
    /// marked in Facts and leaves its field empty, and the others are kept.
    /// </summary>
    internal sealed class PosixFactParser
    {
        private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
        private readonly CollectorReply _reply;
        private readonly ServerInventory _inv;
        private readonly List<InventoryFact> _facts = new List<InventoryFact>();
        private readonly DateTimeOffset _now;

        private PosixFactParser(CollectorReply reply, ServerInventory inventory, DateTimeOffset now)
        {
            _reply = reply;
            _inv = inventory;
            _now = now;
        }

        /// <summary>Fills <paramref name="inventory"/> from <paramref name="reply"/>.</summary>
        public static void Fill(CollectorReply reply, ServerInventory inventory, DateTimeOffset now)
        {
            var p = new PosixFactParser(reply, inventory, now);
            p.ParseAll();
            inventory.Facts = p._facts;
            inventory.Status = p._facts.Any(f => f.Status == FactStatus.Failed) || reply.Truncated ? InventoryStatus.Partial : InventoryStatus.Complete;
        }

        private void ParseAll()
        {
            Fact("Identity", "id", s =>
            {
                var l = s.Lines().ToList();
                _inv.IsRoot = int.Parse(l[0].Trim(), Inv) == 0;
                if (l.Count > 1) _inv.UserName = l[1].Trim();
            });
            var root = _inv.IsRoot == true;
            Fact("OperatingSystem", "os", s => _inv.OperatingSystem = ParseOsRelease(s.Lines()));
            Fact("Kernel", "uname", s =>
            {
                var l = s.Lines().ToList();
                _inv.Platform = l[0] == "Linux" ? InventoryPlatform.Linux : l[0] == "Darwin" ? InventoryPlatform.MacOS : InventoryPlatform.OtherUnix;
                _inv.Kernel = l[1];
                if (l.Count > 3) _inv.HostName = l[3];
                if (_inv.OperatingSystem == null && l[0] == "Darwin") _inv.OperatingSystem = new OperatingSystemInfo { Name = "macOS", Id = "macos", Family = "darwin" };
                if (l.Count > 2 && _inv.Cpu != null) _inv.Cpu.Architecture = l[2];
            });
            Fact("Fqdn", "fqdn", s => _inv.Fqdn = s.Lines().First().Trim());
            Fact("Cpu", "cpu", s => _inv.Cpu = ParseCpu(s.Lines().ToList()));
            Fact("Memory", "memory", s => _inv.Memory = ParseMemory(s.Lines()));
            Fact("FileSystems", "filesystems", s => _inv.FileSystems = ParseDf(s.Lines().ToList()));
            Fact("BlockDevices", "blockdevices", s => _inv.BlockDevices = ParseLsblk(s.Lines()));
            Fact("Interfaces", "links", s => _inv.Interfaces = ParseInterfaces(s, _reply["addresses"], _reply["speeds"]));
            Fact("DefaultRoutes", "routes", s => _inv.DefaultRoutes = ParseRoutes(s.Lines()));
            Fact("DnsServers", "dns", s => _inv.DnsServers = s.Lines().Select(l => l.Trim()).Where(l => l.StartsWith("nameserver", StringComparison.Ordinal))
                .Select(l => l.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries)).Where(f => f.Length > 1).Select(f => f[1]).ToList());
            Fact("Uptime", "uptime", s =>
            {
                var l = s.Lines().ToList();
                var up = double.Parse(l[0].Split(' ')[0], NumberStyles.Float, Inv);
                var now = long.Parse(l[1].Trim(), Inv);
                _inv.UptimeSeconds = up;
                _inv.BootTime = DateTimeOffset.FromUnixTimeSeconds(now - (long)Math.Round(up)).ToLocalTime();
            });
            Fact("TimeSync", "timesync", s => _inv.TimeSync = ParseTimeSync(s.Lines()));
            Fact("Virtualisation", "virt", s => _inv.Virtualisation = ParseVirt(s.Lines()));
            GuestsFact();
            ServicesFact();
            Fact("ListeningSockets", "listen", s => _inv.ListeningSockets = ParseSs(s.Lines()), rootOnly: !root, rootOnlyNote: "Note_RootOnlyProcesses");
            Fact("Administrators", "admins", s => _inv.Administrators = ParseAdmins(s.Lines()));
            Fact("Packages", "packages", s =>
            {
                var l = s.Lines().ToList();
                _inv.PackageManager = l[0].Trim();
                _inv.PackageCount = int.Parse(l[1].Trim(), Inv);
            });
            UpdatesFact();
            Fact("RebootRequired", "reboot", s =>
            {
                var l = s.Lines().ToList();
                var flag = l.FirstOrDefault(x => x.StartsWith("flag=", StringComparison.Ordinal));
                var nr = l.FirstOrDefault(x => x.StartsWith("needs-restarting=", StringComparison.Ordinal));
                if (flag != null && flag != "flag=none")
                {
                    _inv.RebootRequired = true;
                    var pkgs = l.Where(x => !x.Contains("=")).ToList();
                    _inv.RebootReason = flag.Substring(5) + (pkgs.Count > 0 ? ": " + string.Join(", ", pkgs) : string.Empty);
                }
                else if (nr != null)
                {
                    // needs-restarting -r: 1 = reboot needed, 0 = not needed; anything else is a failure.
                    var code = int.Parse(nr.Substring("needs-restarting=".Length), Inv);
                    if (code != 0 && code != 1) throw new FormatException("needs-restarting -r exit " + code.ToString(Inv));
                    _inv.RebootRequired = code == 1;
                    _inv.RebootReason = code == 1 ? "needs-restarting -r" : null;
                }
                else
                {
                    _inv.RebootRequired = false;
                }
            });
            Fact("SshHostKeys", "hostkeys", s =>
            {
                var keys = new List<SshHostKeyEntry>();
                foreach (var line in s.Lines())
                {
                    var blob = KnownHosts.ParsePublicKey(line);
                    if (blob != null) keys.Add(new SshHostKeyEntry { KeyType = KnownHosts.KeyTypeOf(blob), Fingerprint = KnownHosts.Fingerprint(blob) });
                }
                _inv.SshHostKeys = keys;
            });
        }

        private void Fact(string name, string sectionName, Action<CollectorSection> read, bool rootOnly = false, string? rootOnlyNote = null, Func<CollectorSection, bool>? acceptExit = null)
        {
            var s = _reply[sectionName];
            var text = InventoryText.Strings;
            if (s == null)
            {
                _facts.Add(new InventoryFact(name, sectionName, FactStatus.Failed, text.Get(_reply.Truncated ? "Fact_Truncated" : "Fact_Missing")));
                return;
            }
            if (!s.Complete)
            {
                _facts.Add(new InventoryFact(name, s.Source, FactStatus.Failed, text.Get("Fact_Truncated")));
                return;
            }
            if (s.ExitCode == 127 || (s.ExitCode != 0 && s.ErrorText.IndexOf("not been booted with systemd", StringComparison.Ordinal) >= 0))
            {
                _facts.Add(new InventoryFact(name, s.Source, FactStatus.NotAvailable, FirstLine(s.ErrorText) ?? text.Get("Fact_NotInstalled")));
                return;
            }
            if (s.ExitCode != 0 && !(acceptExit?.Invoke(s) ?? false))
            {
                _facts.Add(new InventoryFact(name, s.Source, FactStatus.Failed, text.Format("Fact_ExitCode", s.ExitCode, FirstLine(s.ErrorText) ?? string.Empty)));
                return;
            }
            try
            {
                read(s);
                _facts.Add(new InventoryFact(name, s.Source, rootOnly ? FactStatus.RootOnly : FactStatus.Ok, rootOnly && rootOnlyNote != null ? text.Get(rootOnlyNote) : null));
            }
            catch (Exception e) when (e is FormatException || e is OverflowException || e is ArgumentException || e is IndexOutOfRangeException || e is InvalidOperationException || e is KeyNotFoundException || e is NullReferenceException)
            {
                _facts.Add(new InventoryFact(name, s.Source, FactStatus.Failed, text.Format("Fact_Unreadable", FirstLine(s.Content) ?? string.Empty)));
            }
        }

        private static string? FirstLine(string text)
        {
            foreach (var l in text.Split('\n'))
            {
                var t = l.Trim();
                if (t.Length > 0) return t.Length > 200 ? t.Substring(0, 200) : t;
            }
            return null;
        }

        internal static OperatingSystemInfo ParseOsRelease(IEnumerable<string> lines)
        {
            var d = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var line in lines)
            {
                var eq = line.IndexOf('=');
                if (eq <= 0) continue;
                var v = line.Substring(eq + 1).Trim();
                if (v.Length >= 2 && (v[0] == '"' || v[0] == '\'') && v[v.Length - 1] == v[0]) v = v.Substring(1, v.Length - 2);
                d[line.Substring(0, eq).Trim()] = v;
            }
            if (d.Count == 0) throw new FormatException("os-release");
            d.TryGetValue("ID", out var id);
            d.TryGetValue("ID_LIKE", out var like);
            return new OperatingSystemInfo
            {
                Name = d.TryGetValue("NAME", out var n) ? n : null,
                Version = d.TryGetValue("VERSION_ID", out var v2) ? v2 : null,
                Id = id,
                Family = Family(id, like),
                PrettyName = d.TryGetValue("PRETTY_NAME", out var p) ? p : null,
            };
        }

        /// <summary>The distribution family, as Ansible's os_family names it (lower case).</summary>
        internal static string? Family(string? id, string? like)
        {
            var words = ((id ?? string.Empty) + " " + (like ?? string.Empty)).ToLowerInvariant().Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
            foreach (var w in words)
            {
                switch (w)
                {
                    case "debian": case "ubuntu": case "raspbian": case "linuxmint": return "debian";
                    case "rhel": case "fedora": case "centos": case "rocky": case "almalinux": case "ol": case "amzn": return "redhat";
                    case "suse": case "opensuse": case "sles": case "opensuse-leap": case "opensuse-tumbleweed": return "suse";
                    case "arch": case "manjaro": return "archlinux";
                    case "alpine": return "alpine";
                    case "gentoo": return "gentoo";
                }
            }
            return words.Length > 0 ? words[0] : null;
        }

        internal static CpuInfo ParseCpu(List<string> lines)
        {
            var d = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var processors = 0;
            var physicalIds = new HashSet<string>();
            foreach (var line in lines)
            {
                var colon = line.IndexOf(':');
                if (colon <= 0) continue;
                var key = line.Substring(0, colon).Trim();
                var value = line.Substring(colon + 1).Trim();
                if (key == "processor") processors++;
                if (key == "physical id") physicalIds.Add(value);
                if (!d.ContainsKey(key)) d[key] = value;
            }
            if (d.TryGetValue("CPU(s)", out var cpus))
            {
                // lscpu
                int? Int(string k) => d.TryGetValue(k, out var x) && int.TryParse(x, NumberStyles.Integer, Inv, out var i) ? i : (int?)null;
                var threads = Int("CPU(s)");
                var sockets = Int("Socket(s)") ?? Int("Cluster(s)");
                var perSocket = Int("Core(s) per socket") ?? Int("Core(s) per cluster");
                var perCore = Int("Thread(s) per core");
                return new CpuInfo
                {
                    Model = d.TryGetValue("Model name", out var m) ? m : null,
                    Threads = threads,
                    Sockets = sockets,
                    Cores = sockets.HasValue && perSocket.HasValue ? sockets * perSocket : (threads.HasValue && perCore.HasValue && perCore > 0 ? threads / perCore : null),
                    Architecture = d.TryGetValue("Architecture", out var a) ? a : null,
                };
            }
            if (processors > 0)
            {
                int? cores = d.TryGetValue("cpu cores", out var c) && int.TryParse(c, NumberStyles.Integer, Inv, out var ci) ? ci : (int?)null;
                var sockets = Math.Max(1, physicalIds.Count);
                return new CpuInfo
                {
                    Model = d.TryGetValue("model name", out var m) ? m : null,
                    Threads = processors,
                    Sockets = sockets,
                    Cores = cores.HasValue ? cores * sockets : processors,
                };
            }
            throw new FormatException("cpu");
        }

        internal static MemoryInfo ParseMemory(IEnumerable<string> lines)
        {
            var d = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var line in lines)
            {
                var colon = line.IndexOf(':');
                if (colon <= 0) continue;
                var f = line.Substring(colon + 1).Trim().Split(' ');
                if (long.TryParse(f[0], NumberStyles.Integer, Inv, out var kb))
                    d[line.Substring(0, colon)] = f.Length > 1 && f[1] == "kB" ? kb * 1024 : kb;
            }
            if (!d.ContainsKey("MemTotal")) throw new FormatException("meminfo");
            return new MemoryInfo
            {
                TotalBytes = d["MemTotal"],
                AvailableBytes = d.TryGetValue("MemAvailable", out var a) ? a : (d.TryGetValue("MemFree", out var f2) ? f2 : (long?)null),
                SwapTotalBytes = d.TryGetValue("SwapTotal", out var st) ? st : (long?)null,
                SwapFreeBytes = d.TryGetValue("SwapFree", out var sf) ? sf : (long?)null,
            };
        }

        internal static IReadOnlyList<FileSystemEntry> ParseDf(List<string> lines)
        {
            if (lines.Count == 0 || !lines[0].StartsWith("Filesystem", StringComparison.Ordinal)) throw new FormatException("df");
            var typed = lines[0].Contains(" Type ");
            var list = new List<FileSystemEntry>();
            foreach (var line in lines.Skip(1))
            {
                var f = line.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
                var n = typed ? 7 : 6;
                if (f.Length < n) throw new FormatException("df");
                // The mount point is the rest of the line (it may hold spaces).
                var head = typed ? 6 : 5;
                var mount = string.Join(" ", f.Skip(head));
                var o = typed ? 1 : 0;
                list.Add(new FileSystemEntry
                {
                    Source = f[0],
                    Type = typed ? f[1] : null,
                    SizeBytes = long.Parse(f[1 + o], Inv) * 1024,
                    FreeBytes = long.Parse(f[3 + o], Inv) * 1024,
                    MountPoint = mount,
                });
            }
            return list;
        }

        private static readonly Regex Pair = new Regex("([A-Z:-]+)=\"((?:[^\"\\\\]|\\\\.)*)\"", RegexOptions.CultureInvariant);

        internal static IReadOnlyList<BlockDevice> ParseLsblk(IEnumerable<string> lines)
        {
            var list = new List<BlockDevice>();
            foreach (var line in lines)
            {
                var d = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (Match m in Pair.Matches(line)) d[m.Groups[1].Value] = Unescape(m.Groups[2].Value);
                if (!d.TryGetValue("NAME", out var name)) throw new FormatException("lsblk");
                list.Add(new BlockDevice
                {
                    Name = name,
                    Type = Empty(d, "TYPE"),
                    SizeBytes = d.TryGetValue("SIZE", out var s) && long.TryParse(s, NumberStyles.Integer, Inv, out var b) ? b : (long?)null,
                    Model = Empty(d, "MODEL")?.Trim(),
                    MountPoint = Empty(d, "MOUNTPOINT"),
                });
            }
            return list;
        }

        private static string Unescape(string s) => Regex.Replace(s, @"\\x([0-9a-fA-F]{2})", m => ((char)Convert.ToInt32(m.Groups[1].Value, 16)).ToString());

        private static string? Empty(Dictionary<string, string> d, string key) => d.TryGetValue(key, out var v) && v.Length > 0 ? v : null;

        private static readonly Regex LinkLine = new Regex(@"^\d+:\s+([^:@\s]+)(?:@[^:\s]+)?:\s+<([^>]*)>(.*)$", RegexOptions.CultureInvariant);
        private static readonly Regex AddrLine = new Regex(@"^\d+:\s+(\S+)\s+(inet6?)\s+(\S+)", RegexOptions.CultureInvariant);

        internal static IReadOnlyList<NetworkInterfaceEntry> ParseInterfaces(CollectorSection links, CollectorSection? addresses, CollectorSection? speeds)
        {
            var list = new List<NetworkInterfaceEntry>();
            var v4 = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            var v6 = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            if (addresses != null && addresses.ExitCode == 0)
            {
                foreach (var line in addresses.Lines())
                {
                    var m = AddrLine.Match(line);
                    if (!m.Success) continue;
                    var target = m.Groups[2].Value == "inet" ? v4 : v6;
                    if (!target.TryGetValue(m.Groups[1].Value, out var l)) target[m.Groups[1].Value] = l = new List<string>();
                    l.Add(m.Groups[3].Value);
                }
            }
            var speed = new Dictionary<string, long>(StringComparer.Ordinal);
            if (speeds != null && speeds.ExitCode == 0)
            {
                foreach (var line in speeds.Lines())
                {
                    var f = line.Split(' ');
                    if (f.Length == 2 && long.TryParse(f[1], NumberStyles.Integer, Inv, out var mbps) && mbps > 0) speed[f[0]] = mbps;
                }
            }
            foreach (var line in links.Lines())
            {
                var m = LinkLine.Match(line);
                if (!m.Success) throw new FormatException("ip link");
                var name = m.Groups[1].Value;
                var rest = m.Groups[3].Value;
                var words = rest.Replace("\\", " ").Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
                string? After(string key)
                {
                    var i = Array.IndexOf(words, key);
                    return i >= 0 && i + 1 < words.Length ? words[i + 1] : null;
                }
                var mac = After("link/ether") ?? After("link/loopback");
                list.Add(new NetworkInterfaceEntry
                {
                    Name = name,
                    MacAddress = mac,
                    Mtu = int.TryParse(After("mtu"), NumberStyles.Integer, Inv, out var mtu) ? mtu : (int?)null,
                    State = After("state")?.ToLowerInvariant(),
                    IPv4Addresses = v4.TryGetValue(name, out var a4) ? a4 : new List<string>(),
                    IPv6Addresses = v6.TryGetValue(name, out var a6) ? a6 : new List<string>(),
                    SpeedMbps = speed.TryGetValue(name, out var sp) ? sp : (long?)null,
                });
            }
            return list;
        }

        internal static IReadOnlyList<RouteEntry> ParseRoutes(IEnumerable<string> lines)
        {
            var list = new List<RouteEntry>();
            foreach (var line in lines)
            {
                var w = line.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
                if (w.Length == 0 || w[0] != "default") continue;
                string? After(string key)
                {
                    var i = Array.IndexOf(w, key);
                    return i >= 0 && i + 1 < w.Length ? w[i + 1] : null;
                }
                var via = After("via");
                list.Add(new RouteEntry
                {
                    Family = via != null && via.Contains(":") ? "IPv6" : (via == null && line.Contains("fe80") ? "IPv6" : "IPv4"),
                    Gateway = via,
                    Interface = After("dev"),
                    Metric = int.TryParse(After("metric"), NumberStyles.Integer, Inv, out var metric) ? metric : (int?)null,
                });
            }
            return list;
        }

        internal static TimeSyncInfo ParseTimeSync(IEnumerable<string> lines)
        {
            var info = new TimeSyncInfo();
            string? tool = null;
            foreach (var line in lines)
            {
                if (line.StartsWith("tool=", StringComparison.Ordinal)) tool = line.Substring(5);
                else if (line.StartsWith("service=", StringComparison.Ordinal) && info.Service == null) info.Service = line.Substring(8);
                else if (line.StartsWith("NTPSynchronized=", StringComparison.Ordinal)) info.Synchronized = line.EndsWith("=yes", StringComparison.Ordinal);
                else if (line.StartsWith("NTP=", StringComparison.Ordinal)) info.NtpEnabled = line.EndsWith("=yes", StringComparison.Ordinal);
                else if (tool == "chronyc" && line.StartsWith("Leap status", StringComparison.Ordinal)) info.Synchronized = line.IndexOf("Normal", StringComparison.Ordinal) >= 0;
                else if (tool == "ntpq" && line.StartsWith("*", StringComparison.Ordinal)) info.Synchronized = true;
            }
            if (tool == "ntpq" && info.Synchronized == null) info.Synchronized = false;
            if (tool == "chronyc") { info.NtpEnabled = true; info.Service = info.Service ?? "chronyd"; }
            if (tool == null) throw new FormatException("timesync");
            return info;
        }

        internal static VirtualisationInfo ParseVirt(IEnumerable<string> lines)
        {
            var d = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var line in lines)
            {
                var eq = line.IndexOf('=');
                if (eq > 0) d[line.Substring(0, eq)] = line.Substring(eq + 1).Trim();
            }
            string? Get(string k) => d.TryGetValue(k, out var v) && v.Length > 0 && v != "none" ? v : null;
            var container = Get("container") ?? Get("systemdcontainer") ?? (d.ContainsKey("dockerenv") ? "docker" : null);
            var vm = Get("vm");
            if (vm == null)
            {
                var vendor = (Get("vendor") ?? string.Empty) + " " + (Get("product") ?? string.Empty);
                if (vendor.IndexOf("QEMU", StringComparison.OrdinalIgnoreCase) >= 0 || vendor.IndexOf("KVM", StringComparison.OrdinalIgnoreCase) >= 0) vm = "kvm";
                else if (vendor.IndexOf("VMware", StringComparison.OrdinalIgnoreCase) >= 0) vm = "vmware";
                else if (vendor.IndexOf("VirtualBox", StringComparison.OrdinalIgnoreCase) >= 0) vm = "oracle";
                else if (vendor.IndexOf("Microsoft", StringComparison.OrdinalIgnoreCase) >= 0 && vendor.IndexOf("Virtual", StringComparison.OrdinalIgnoreCase) >= 0) vm = "microsoft";
                else if (vendor.IndexOf("Xen", StringComparison.OrdinalIgnoreCase) >= 0) vm = "xen";
                else if (d.ContainsKey("cpuflag")) vm = "vm-other";
            }
            if (container != null) return new VirtualisationInfo { Role = VirtualisationRole.Container, Technology = container };
            if (vm != null) return new VirtualisationInfo { Role = VirtualisationRole.VirtualMachine, Technology = vm };
            var known = d.ContainsKey("vm") || d.ContainsKey("vendor");
            return new VirtualisationInfo { Role = known ? VirtualisationRole.Physical : VirtualisationRole.Unknown };
        }

        private void GuestsFact()
        {
            var s = _reply["guests"];
            var virt = _inv.Virtualisation;
            if (s != null && s.Complete && (s.ExitCode == 127 || (s.ExitCode != 0 && s.ErrorText.IndexOf("failed to connect", StringComparison.OrdinalIgnoreCase) >= 0)))
            {
                // virsh without a hypervisor to talk to: not a failure of this host.
                _facts.Add(new InventoryFact("VirtualGuests", s.Source, FactStatus.NotAvailable, FirstLine(s.ErrorText)));
                return;
            }
            Fact("VirtualGuests", "guests", sec =>
            {
                var guests = ParseVirsh(sec.Lines(), sec.Source);
                _inv.Virtualisation = new VirtualisationInfo
                {
                    Role = virt?.Role ?? VirtualisationRole.Unknown,
                    Technology = virt?.Technology,
                    Guests = guests,
                };
            });
        }

        internal static IReadOnlyList<VirtualGuest> ParseVirsh(IEnumerable<string> lines, string source)
        {
            var list = new List<VirtualGuest>();
            VirtualGuest? g = null;
            foreach (var line in lines)
            {
                if (line.StartsWith("@@dom ", StringComparison.Ordinal))
                {
                    g = new VirtualGuest { Name = line.Substring(6), Source = source };
                    list.Add(g);
                    continue;
                }
                if (g == null) throw new FormatException("virsh");
                var colon = line.IndexOf(':');
                if (colon <= 0) continue;
                var key = line.Substring(0, colon).Trim();
                var value = line.Substring(colon + 1).Trim();
                switch (key)
                {
                    case "State": g.State = value; break;
                    case "CPU(s)": g.VCpus = int.Parse(value, Inv); break;
                    case "Max memory": g.MemoryBytes = ParseKiB(value); break;
                    case "Autostart": g.Autostart = value.StartsWith("enable", StringComparison.Ordinal); break;
                }
            }
            return list;
        }

        private static long ParseKiB(string value)
        {
            var f = value.Split(' ');
            var n = long.Parse(f[0], Inv);
            return f.Length > 1 && f[1] == "KiB" ? n * 1024 : n;
        }

        private void ServicesFact()
        {
            Fact("Services", "units", s =>
            {
                var modes = new Dictionary<string, string>(StringComparer.Ordinal);
                var files = _reply["unitfiles"];
                if (files != null && files.ExitCode == 0)
                {
                    foreach (var line in files.Lines())
                    {
                        var f = line.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
                        if (f.Length >= 2 && f[0].EndsWith(".service", StringComparison.Ordinal)) modes[f[0]] = f[1];
                    }
                }
                var list = new List<ServiceEntry>();
                foreach (var line in s.Lines())
                {
                    var f = line.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
                    if (f.Length < 4 || !f[0].EndsWith(".service", StringComparison.Ordinal)) continue;
                    modes.TryGetValue(f[0], out var mode);
                    list.Add(new ServiceEntry { Name = f[0], State = f[2], SubState = f[3], StartMode = mode });
                }
                foreach (var kv in modes)
                {
                    if (kv.Key.Contains("@")) continue;
                    if (list.All(x => x.Name != kv.Key)) list.Add(new ServiceEntry { Name = kv.Key, State = "inactive", SubState = "dead", StartMode = kv.Value });
                }
                _inv.Services = list.OrderBy(x => x.Name, StringComparer.Ordinal).ToList();
            });
        }

        private static readonly Regex SsProcess = new Regex("\\(\"([^\"]*)\",pid=(\\d+)", RegexOptions.CultureInvariant);

        internal static IReadOnlyList<ListeningSocket> ParseSs(IEnumerable<string> lines)
        {
            var list = new List<ListeningSocket>();
            foreach (var line in lines)
            {
                var f = line.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
                if (f.Length < 5) continue;
                // ss -H: netid state recv-q send-q local peer [process]
                var netid = f[0];
                if (netid != "tcp" && netid != "udp") continue;
                var local = f[4];
                var colon = local.LastIndexOf(':');
                if (colon <= 0) throw new FormatException("ss");
                var host = local.Substring(0, colon);
                var percent = host.IndexOf('%');
                if (percent > 0 && !host.StartsWith("[", StringComparison.Ordinal)) host = host.Substring(0, percent);
                host = host.Trim('[', ']');
                if (host.IndexOf('%') > 0) host = host.Substring(0, host.IndexOf('%'));
                if (!int.TryParse(local.Substring(colon + 1), NumberStyles.Integer, Inv, out var port)) continue; // "*" ports of raw sockets
                var m = SsProcess.Match(line);
                list.Add(new ListeningSocket
                {
                    Protocol = netid + (host.Contains(":") ? "6" : string.Empty),
                    LocalIPAddress = host == "*" ? (netid == "tcp" || netid == "udp" ? "*" : host) : host,
                    Port = port,
                    Process = m.Success ? m.Groups[1].Value : null,
                    ProcessId = m.Success ? int.Parse(m.Groups[2].Value, Inv) : (int?)null,
                });
            }
            return list.OrderBy(x => x.Protocol, StringComparer.Ordinal).ThenBy(x => x.Port).ThenBy(x => x.LocalIPAddress, StringComparer.Ordinal).ToList();
        }

        internal static IReadOnlyList<AdministratorEntry> ParseAdmins(IEnumerable<string> lines)
        {
            var list = new List<AdministratorEntry>();
            foreach (var line in lines)
            {
                if (line.StartsWith("uid0 ", StringComparison.Ordinal))
                {
                    list.Add(new AdministratorEntry { Name = line.Substring(5).Trim(), Reason = "uid0" });
                }
                else if (line.StartsWith("group ", StringComparison.Ordinal))
                {
                    var f = line.Substring(6).Split(':');
                    if (f.Length < 4) throw new FormatException("getent group");
                    foreach (var member in f[3].Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries))
                        list.Add(new AdministratorEntry { Name = member.Trim(), Reason = "group:" + f[0] });
                }
            }
            return list;
        }

        private void UpdatesFact()
        {
            // dnf/yum check-update exit 100 when updates exist; zypper list-updates exits 0; the
            // section's own code is the main command's, so 100 is a success here.
            Fact("PendingUpdates", "updates", s => _inv.PendingUpdates = ParseUpdates(s.Lines().ToList()),
                acceptExit: s => s.ExitCode == 100 && (s.Content.StartsWith("manager=dnf", StringComparison.Ordinal) || s.Content.StartsWith("manager=yum", StringComparison.Ordinal)),
                rootOnly: false);
            var fact = _facts[_facts.Count - 1];
            var s2 = _reply["updates"];
            if (s2 != null && fact.Status == FactStatus.Ok)
            {
                var manager = _inv.PendingUpdates?.Manager;
                fact.Source = manager == "apt" ? "apt list --upgradable" : manager == "zypper" ? "zypper list-updates" : manager + " check-update";
                // The collector gave apt a copy of its lists reduced to the packages dpkg knows (same answer, a tenth of the CPU).
                if (manager == "apt" && s2.Lines().Skip(1).Take(1).Any(l => l == "lists=reduced"))
                    fact.Source = "apt list --upgradable (package lists reduced to the packages dpkg knows)";
            }
        }

        private static readonly Regex AptLine = new Regex(@"^([^/\s]+)/(\S+)\s+(\S+)\s+(\S+)\s+\[upgradable from: ([^\]]+)\]", RegexOptions.CultureInvariant);

        internal static PendingUpdateInfo ParseUpdates(List<string> lines)
        {
            if (lines.Count == 0 || !lines[0].StartsWith("manager=", StringComparison.Ordinal)) throw new FormatException("updates");
            var manager = lines[0].Substring(8).Trim();
            var names = new List<string>();
            int? security = null;
            if (manager == "apt")
            {
                security = 0;
                foreach (var line in lines.Skip(1))
                {
                    var m = AptLine.Match(line);
                    if (!m.Success) continue;
                    names.Add(m.Groups[1].Value);
                    if (m.Groups[2].Value.Split(',').Any(suite => suite.EndsWith("-security", StringComparison.Ordinal))) security++;
                }
            }
            else if (manager == "dnf" || manager == "yum")
            {
                var part = 0;
                var securityCount = 0;
                int? securityExit = null;
                foreach (var line in lines.Skip(1))
                {
                    if (line.StartsWith("@@rc ", StringComparison.Ordinal))
                    {
                        var rc = int.Parse(line.Substring(5).Trim(), Inv);
                        if (rc != 0 && rc != 100) throw new FormatException(manager + " check-update exit " + rc.ToString(Inv));
                        part = 1;
                        continue;
                    }
                    if (line.StartsWith("@@security ", StringComparison.Ordinal)) { securityExit = int.Parse(line.Substring(11).Trim(), Inv); continue; }
                    var f = line.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
                    if (part == 0)
                    {
                        // "name.arch  version  repo"; "Obsoleting Packages" starts a second list that is not updates.
                        if (line.StartsWith("Obsoleting", StringComparison.Ordinal)) { part = 2; continue; }
                        if (f.Length == 3 && f[0].Contains(".")) names.Add(f[0].Substring(0, f[0].LastIndexOf('.')));
                    }
                    else if (part == 1)
                    {
                        // updateinfo: "ADVISORY  type/severity  package-nevra"
                        if (f.Length >= 3 && f[1].IndexOf("Sec", StringComparison.OrdinalIgnoreCase) >= 0) securityCount++;
                    }
                }
                security = securityExit == 0 ? securityCount : (int?)null;
            }
            else if (manager == "zypper")
            {
                var part = 0;
                var securityCount = 0;
                int? securityExit = null;
                foreach (var line in lines.Skip(1))
                {
                    if (line.StartsWith("@@rc ", StringComparison.Ordinal)) { part = 1; continue; }
                    if (line.StartsWith("@@security ", StringComparison.Ordinal)) { securityExit = int.Parse(line.Substring(11).Trim(), Inv); continue; }
                    var f = line.Split('|').Select(x => x.Trim()).ToArray();
                    if (f.Length < 5 || f[0] == "S" || f[0].StartsWith("-", StringComparison.Ordinal)) continue;
                    if (part == 0) names.Add(f[2]);
                    else if (f.Length >= 6 && f.Any(x => x == "security")) securityCount++;
                }
                // zypper list-patches exits 100 (patches) or 101 (security patches) besides 0.
                security = securityExit == 0 || securityExit == 100 || securityExit == 101 ? securityCount : (int?)null;
            }
            else
            {
                throw new FormatException("updates");
            }
            return new PendingUpdateInfo { Manager = manager, ItemCount = names.Count, SecurityCount = security, Names = names };
        }
    }
}
