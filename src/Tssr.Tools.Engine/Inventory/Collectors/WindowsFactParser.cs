using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Firewall.Parsers;
using Tssr.Tools.Engine.Inventory.Model;
using Tssr.Tools.Engine.Inventory.Ssh;

namespace Tssr.Tools.Engine.Inventory.Collectors
{
    /// <summary>
    /// Turns the JSON document of the PowerShell collector into a <see cref="ServerInventory"/>,
    /// the same types as the POSIX collector. It reads what Windows PowerShell 5.1's ConvertTo-Json
    /// writes as well as PowerShell 7's: dates as "\/Date(ms)\/", ISO 8601 or Get-Date's
    /// {value, DisplayHint, DateTime} object; a one-item list collapsed to the item, an empty one
    /// to null; enums as numbers or names. A value cut by ConvertTo-Json's -Depth (an object
    /// written as its type name or "@{…}") fails its fact, never passes for data.
    /// </summary>
    internal sealed class WindowsFactParser
    {
        private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
        private static readonly Regex MsDate = new Regex(@"^/Date\((-?\d+)([+-]\d{4})?\)/$", RegexOptions.CultureInvariant);
        private readonly ServerInventory _inv;
        private readonly JsonObject _facts;
        private readonly List<InventoryFact> _list = new List<InventoryFact>();
        private readonly DateTimeOffset _now;
        /// <summary>The depth sentinel arrived cut (or is absent): a lone text where a list is expected may be a cut list.</summary>
        private bool _depthCut;

        private WindowsFactParser(ServerInventory inventory, JsonObject facts, DateTimeOffset now)
        {
            _inv = inventory;
            _facts = facts;
            _now = now;
        }

        /// <summary>A value ConvertTo-Json cut at its -Depth: the fact fails with this reason.</summary>
        private sealed class DepthCutException : FormatException
        {
            public DepthCutException(string text) : base(text) { }
        }

        public static void Fill(CollectorReply reply, ServerInventory inventory, DateTimeOffset now, string target)
        {
            inventory.Platform = InventoryPlatform.Windows;
            var text = InventoryText.Strings;
            var section = reply["inventory"];
            if (section == null || !section.Complete || section.ExitCode != 0)
            {
                var reason = section == null || !section.Complete ? text.Get(reply.Truncated ? "Fact_Truncated" : "Fact_Missing") : text.Format("Fact_ExitCode", section.ExitCode, section.ErrorText);
                inventory.Facts = AllFacts.Select(f => new InventoryFact(f, section?.Source ?? "inventory", FactStatus.Failed, reason)).ToList();
                inventory.Status = InventoryStatus.Partial;
                return;
            }
            JsonNode root;
            try
            {
                root = JsonReader.Parse(section.Content, target);
            }
            catch (TssrException e)
            {
                throw new TssrException("InventoryReplyInvalid", TssrErrorCategory.InvalidData, target,
                    text.Format("Error_ReplyJsonInvalid", target, e.Message), text.Get("Action_ReplyInvalid"));
            }
            if (!(root is JsonObject o) || !(o["facts"] is JsonObject facts))
                throw new TssrException("InventoryReplyInvalid", TssrErrorCategory.InvalidData, target,
                    text.Format("Error_ReplyJsonInvalid", target, "facts"), text.Get("Action_ReplyInvalid"));
            var p = new WindowsFactParser(inventory, facts, now) { _depthCut = DepthWasCut(o["depthCheck"]) };
            p.ParseAll();
            inventory.Facts = p._list;
            inventory.Status = p._list.Any(f => f.Status == FactStatus.Failed) || reply.Truncated ? InventoryStatus.Partial : InventoryStatus.Complete;
        }

        /// <summary>depthCheck.network.value[0].list[0] == "ok" when nothing was cut; a document without it is judged field by field.</summary>
        private static bool DepthWasCut(JsonNode? check)
        {
            if (check == null) return false;
            try
            {
                var value = Obj(Obj(check)["network"])["value"];
                var first = Items(value).Select(Obj).First();
                return !(first["list"] is JsonArray a && a.Items.Count == 1 && (a.Items[0] as JsonValue)?.Value as string == "ok");
            }
            catch (Exception e) when (e is FormatException || e is InvalidOperationException)
            {
                return true;
            }
        }

        /// <summary>The facts of a Windows inventory, in order (every one is listed, even when the reply is unusable).</summary>
        internal static readonly string[] AllFacts =
        {
            "Identity", "OperatingSystem", "Kernel", "Fqdn", "Domain", "Cpu", "Memory", "FileSystems", "BlockDevices", "Interfaces",
            "DefaultRoutes", "DnsServers", "Uptime", "TimeSync", "Virtualisation", "VirtualGuests", "Services", "ListeningSockets",
            "Administrators", "LocalUsers", "Hotfixes", "Software", "Packages", "FirewallProfiles", "PendingUpdates", "RebootRequired", "SshHostKeys",
        };

        private void ParseAll()
        {
            var text = InventoryText.Strings;
            Fact("Identity", "identity", v =>
            {
                var o = Obj(v);
                _inv.UserName = Str(o, "user");
                _inv.IsRoot = Bool(o, "elevated");
            });
            Fact("OperatingSystem", "os", v =>
            {
                var o = Obj(v);
                var caption = Str(o, "caption")?.Trim();
                var display = Str(o, "displayVersion");
                var build = Str(o, "build");
                var ubr = Long(o, "ubr");
                _inv.OperatingSystem = new OperatingSystemInfo
                {
                    Name = caption,
                    Version = Str(o, "version"),
                    Id = "windows",
                    Family = "windows",
                    PrettyName = caption == null ? null : caption + (string.IsNullOrEmpty(display) ? string.Empty : " " + display),
                    Build = build == null ? null : build + (ubr.HasValue ? "." + ubr.Value.ToString(Inv) : string.Empty),
                };
                if (_inv.OperatingSystem.Version == null) throw new FormatException("os.version");
            });
            Fact("Kernel", "os", v =>
            {
                var o = Obj(v);
                var version = Str(o, "version") ?? throw new FormatException("os.version");
                var ubr = Long(o, "ubr");
                _inv.Kernel = version + (ubr.HasValue ? "." + ubr.Value.ToString(Inv) : string.Empty);
            });
            // Host name: [Environment]::MachineName (portable); FQDN and domain from Win32_ComputerSystem.
            var hostFact = _facts["hostname"] as JsonObject;
            if (hostFact != null && Status(hostFact) == "Ok")
            {
                try { _inv.HostName = Str(Obj(hostFact["value"]), "machineName"); }
                catch (FormatException) { }
            }
            if (!FactOk("computer"))
            {
                Fact("Fqdn", "hostname", v =>
                {
                    var o = Obj(v);
                    var host = Str(o, "hostName") ?? throw new FormatException("hostName");
                    var domain = Str(o, "domainName");
                    _inv.Fqdn = string.IsNullOrEmpty(domain) ? host : host + "." + domain;
                });
                Fact("Domain", "computer", _ => { });
            }
            else
            {
                Fact("Fqdn", "computer", v =>
                {
                    var o = Obj(v);
                    var host = Str(o, "dnsHostName") ?? Str(o, "name") ?? throw new FormatException("dnsHostName");
                    var joined = Bool(o, "partOfDomain") == true;
                    var domain = Str(o, "domain");
                    _inv.Fqdn = joined && !string.IsNullOrEmpty(domain) ? host + "." + domain : host;
                    if (_inv.HostName == null) _inv.HostName = Str(o, "name");
                });
                Fact("Domain", "computer", v =>
                {
                    var o = Obj(v);
                    _inv.Domain = Str(o, "domain");
                    _inv.DomainJoined = Bool(o, "partOfDomain");
                });
            }
            Fact("Cpu", "cpu", v =>
            {
                var list = Items(v).Select(Obj).ToList();
                if (list.Count == 0) throw new FormatException("cpu");
                _inv.Cpu = new CpuInfo
                {
                    Model = Str(list[0], "name")?.Trim(),
                    Sockets = list.Count,
                    Cores = SumInt(list, "cores"),
                    Threads = SumInt(list, "threads"),
                    Architecture = Architecture(Long(list[0], "architecture")),
                };
            });
            Fact("Memory", FactOk("computer") ? "computer" : "os", v =>
            {
                Obj(v); // the fact's own value must be whole
                var os = FactValue("os");
                var cs = FactValue("computer");
                var total = cs != null ? Long(cs, "totalPhysicalBytes") : null;
                if (total == null && os != null) total = Long(os, "totalVisibleKiB") * 1024;
                if (total == null) throw new FormatException("memory");
                var memory = new MemoryInfo { TotalBytes = total, AvailableBytes = os != null ? Long(os, "freePhysicalKiB") * 1024 : null };
                var pf = _facts["pagefile"] as JsonObject;
                if (pf != null && Status(pf) == "Ok")
                {
                    var files = Items(pf["value"]).Select(Obj).ToList();
                    long allocated = 0, used = 0;
                    foreach (var f in files)
                    {
                        allocated += Long(f, "allocatedMiB") ?? 0;
                        used += Long(f, "currentUsageMiB") ?? 0;
                    }
                    memory.SwapTotalBytes = allocated * 1048576;
                    memory.SwapFreeBytes = (allocated - used) * 1048576;
                }
                _inv.Memory = memory;
            });
            Fact("FileSystems", "volumes", v =>
            {
                _inv.FileSystems = Items(v).Select(Obj).Select(o => new FileSystemEntry
                {
                    MountPoint = Str(o, "name") ?? throw new FormatException("volume name"),
                    Type = Str(o, "format"),
                    Source = Str(o, "label"),
                    SizeBytes = Long(o, "size"),
                    FreeBytes = Long(o, "free"),
                }).ToList();
            });
            Fact("BlockDevices", "disks", v =>
            {
                _inv.BlockDevices = Items(v).Select(Obj).Select(o => new BlockDevice
                {
                    Name = Str(o, "deviceId") ?? throw new FormatException("disk"),
                    Type = "disk",
                    SizeBytes = Long(o, "size"),
                    Model = Str(o, "model")?.Trim(),
                }).ToList();
            });
            Fact("Interfaces", "network", v =>
            {
                _inv.Interfaces = Items(v).Select(Obj).Select(o =>
                {
                    var speed = Long(o, "speedBitsPerSecond");
                    return new NetworkInterfaceEntry
                    {
                        Name = Str(o, "name") ?? throw new FormatException("nic"),
                        MacAddress = Mac(Str(o, "mac")),
                        IPv4Addresses = Strings(o["ipv4"]),
                        IPv6Addresses = Strings(o["ipv6"]),
                        State = Str(o, "state")?.ToLowerInvariant(),
                        Mtu = (int?)Long(o, "mtu"),
                        // -1, 0 and u32-max Mb/s (what Linux reports for "unknown") are no speed.
                        SpeedMbps = speed.HasValue && speed.Value > 0 && speed.Value < 4294967295000000L ? speed.Value / 1000000 : (long?)null,
                    };
                }).ToList();
            });
            Fact("DefaultRoutes", "network", v =>
            {
                _inv.DefaultRoutes = Items(v).Select(Obj).ToList().SelectMany(o => Strings(o["gateways"]).Select(g => new RouteEntry
                {
                    Family = g.Contains(":") ? "IPv6" : "IPv4",
                    Gateway = g,
                    Interface = Str(o, "name"),
                })).ToList();
            });
            Fact("DnsServers", "network", v => _inv.DnsServers = Items(v).Select(Obj).ToList().SelectMany(o => Strings(o["dns"])).Distinct(StringComparer.OrdinalIgnoreCase).ToList());
            if (FactOk("os"))
            {
                Fact("Uptime", "os", v =>
                {
                    var o = Obj(v);
                    var up = Double(o, "uptimeSeconds") ?? throw new FormatException("uptimeSeconds");
                    _inv.UptimeSeconds = up;
                    _inv.BootTime = (Date(o["lastBoot"]) ?? _now.AddSeconds(-up)).ToLocalTime();
                });
            }
            else
            {
                Fact("Uptime", "uptime", v =>
                {
                    var up = Double(Obj(v), "uptimeSeconds") ?? throw new FormatException("uptimeSeconds");
                    _inv.UptimeSeconds = up;
                    _inv.BootTime = _now.AddSeconds(-up).ToLocalTime();
                });
            }
            _list.Add(new InventoryFact("TimeSync", "w32tm", FactStatus.NotAvailable, text.Get("Fact_WindowsTimeSyncNotCollected")));
            var guestsAvailable = FactOk("guests");
            Fact("Virtualisation", "computer", v => _inv.Virtualisation = Virtualisation(Obj(v), guestsAvailable));
            Fact("VirtualGuests", "guests", v =>
            {
                var guests = Items(v).Select(Obj).Select(o =>
                {
                    var action = Str(o, "automaticStartAction");
                    return new VirtualGuest
                    {
                        Name = Str(o, "name") ?? throw new FormatException("vm"),
                        State = Str(o, "state"),
                        VCpus = (int?)Long(o, "processors"),
                        MemoryBytes = Long(o, "memoryStartup"),
                        Autostart = action == null ? (bool?)null : action != "Nothing" && action != "0",
                        Source = "Get-VM",
                    };
                }).ToList();
                var virt = _inv.Virtualisation;
                _inv.Virtualisation = new VirtualisationInfo { Role = virt?.Role ?? VirtualisationRole.Unknown, Technology = virt?.Technology, Guests = guests };
            });
            Fact("Services", "services", v =>
            {
                _inv.Services = Items(v).Select(Obj).Select(o => new ServiceEntry
                {
                    Name = Str(o, "name") ?? throw new FormatException("service"),
                    State = ServiceState(o["state"]),
                    StartMode = StartMode(o["startMode"]),
                    SubState = Bool(o, "delayed") == true ? "delayed" : null,
                }).OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase).ToList();
            });
            Fact("ListeningSockets", "listening", v =>
            {
                _inv.ListeningSockets = Items(v).Select(Obj).Select(o =>
                {
                    var address = Str(o, "address") ?? throw new FormatException("address");
                    var protocol = Str(o, "protocol") ?? throw new FormatException("protocol");
                    return new ListeningSocket
                    {
                        Protocol = protocol + (address.Contains(":") ? "6" : string.Empty),
                        LocalIPAddress = address,
                        Port = (int)(Long(o, "port") ?? throw new FormatException("port")),
                        Process = Str(o, "process"),
                        ProcessId = (int?)Long(o, "pid"),
                    };
                }).OrderBy(x => x.Protocol, StringComparer.Ordinal).ThenBy(x => x.Port).ThenBy(x => x.LocalIPAddress, StringComparer.Ordinal).ToList();
            });
            Fact("Administrators", "administrators", v =>
            {
                _inv.Administrators = Items(v).Select(Obj).Select(o => new AdministratorEntry
                {
                    Name = Str(o, "name") ?? throw new FormatException("member"),
                    Reason = "group:Administrators",
                }).ToList();
            });
            Fact("LocalUsers", "users", v =>
            {
                _inv.LocalUsers = Items(v).Select(Obj).Select(o => new LocalUserEntry
                {
                    Name = Str(o, "name") ?? throw new FormatException("user"),
                    Enabled = Bool(o, "enabled"),
                    Sid = Str(o, "sid"),
                    LastLogon = Date(o["lastLogon"]),
                    PasswordRequired = Bool(o, "passwordRequired"),
                }).ToList();
            });
            Fact("Hotfixes", "hotfixes", v =>
            {
                _inv.Hotfixes = Items(v).Select(Obj).Select(o => new HotfixEntry
                {
                    Id = Str(o, "id") ?? throw new FormatException("hotfix"),
                    Description = Str(o, "description"),
                    InstalledOn = IsoDate(Str(o, "installedOn")),
                    InstalledBy = Str(o, "installedBy"),
                }).OrderBy(h => h.Id, StringComparer.OrdinalIgnoreCase).ToList();
            });
            Fact("Software", "software", v =>
            {
                _inv.Software = Items(v).Select(Obj).Select(o => new SoftwareEntry
                {
                    Name = Str(o, "name") ?? throw new FormatException("software"),
                    Version = Empty(Str(o, "version")),
                    Publisher = Empty(Str(o, "publisher")),
                    InstallDate = Empty(Str(o, "installDate")),
                    Scope = Str(o, "scope"),
                }).OrderBy(x => x.Name, StringComparer.OrdinalIgnoreCase).ThenBy(x => x.Version, StringComparer.Ordinal).ToList();
            });
            Fact("Packages", "software", v =>
            {
                var count = Items(v).Select(Obj).Count();
                _inv.PackageManager = "registry";
                _inv.PackageCount = count;
            });
            Fact("FirewallProfiles", "firewall", v =>
            {
                _inv.FirewallProfiles = Items(v).Select(Obj).Select(o => new FirewallProfileEntry
                {
                    Name = Str(o, "name") ?? throw new FormatException("profile"),
                    Enabled = GpoBoolean(o["enabled"]),
                    DefaultInboundAction = FirewallAction(o["defaultInbound"]),
                    DefaultOutboundAction = FirewallAction(o["defaultOutbound"]),
                }).ToList();
            });
            Fact("PendingUpdates", "updates", v =>
            {
                var list = Items(Obj(v)["updates"]).Select(Obj).ToList();
                _inv.PendingUpdates = new PendingUpdateInfo
                {
                    Manager = "WindowsUpdate",
                    ItemCount = list.Count,
                    SecurityCount = list.Count(u => Bool(u, "security") == true),
                    Names = list.Select(u => Str(u, "title") ?? string.Empty).ToList(),
                };
            });
            Fact("RebootRequired", "reboot", v =>
            {
                var reasons = Strings(Obj(v)["reasons"]);
                _inv.RebootRequired = reasons.Count > 0;
                _inv.RebootReason = reasons.Count > 0 ? string.Join("; ", reasons) : null;
            });
            Fact("SshHostKeys", "hostkeys", v =>
            {
                var keys = new List<SshHostKeyEntry>();
                foreach (var line in Strings(v))
                {
                    var blob = KnownHosts.ParsePublicKey(line);
                    if (blob != null) keys.Add(new SshHostKeyEntry { KeyType = KnownHosts.KeyTypeOf(blob), Fingerprint = KnownHosts.Fingerprint(blob) });
                }
                _inv.SshHostKeys = keys;
            });
        }

        private static string Status(JsonObject fact) => (fact["status"] as JsonValue)?.Value as string ?? string.Empty;

        private bool FactOk(string key) => _facts[key] is JsonObject f && Status(f) == "Ok";

        private JsonObject? FactValue(string key) => FactOk(key) && ((JsonObject)_facts[key]!)["value"] is JsonObject o ? o : null;

        private void Fact(string name, string key, Action<JsonNode?> read)
        {
            var text = InventoryText.Strings;
            var node = _facts[key];
            if (!(node is JsonObject fact))
            {
                _list.Add(new InventoryFact(name, key, FactStatus.Failed, text.Get(node is JsonValue jv && jv.Value is string s && IsCut(s) ? "Fact_DepthCut" : "Fact_Missing")));
                return;
            }
            var source = (fact["source"] as JsonValue)?.Value as string ?? key;
            var status = Status(fact);
            var error = (fact["error"] as JsonValue)?.AsString;
            if (status == "NotAvailable")
            {
                _list.Add(new InventoryFact(name, source, FactStatus.NotAvailable, error ?? text.Get("Fact_NotInstalled")));
                return;
            }
            if (status != "Ok")
            {
                _list.Add(new InventoryFact(name, source, FactStatus.Failed, error ?? text.Get("Fact_Missing")));
                return;
            }
            try
            {
                read(fact["value"]);
                _list.Add(new InventoryFact(name, source, FactStatus.Ok, null));
            }
            catch (DepthCutException)
            {
                _list.Add(new InventoryFact(name, source, FactStatus.Failed, text.Get("Fact_DepthCut")));
            }
            catch (Exception e) when (e is FormatException || e is OverflowException || e is ArgumentException || e is InvalidOperationException || e is InvalidCastException || e is NullReferenceException)
            {
                _list.Add(new InventoryFact(name, source, FactStatus.Failed, text.Format("Fact_Unreadable", e.Message)));
            }
        }

        /// <summary>What ConvertTo-Json writes for an object below its -Depth: the type name, "@{…}" or an array's items joined by spaces.</summary>
        private static bool IsCut(string s)
            => s.StartsWith("System.", StringComparison.Ordinal) || s.StartsWith("@{", StringComparison.Ordinal) || s.StartsWith("Microsoft.", StringComparison.Ordinal);

        private static JsonObject Obj(JsonNode? node)
        {
            if (node is JsonObject o) return o;
            if (node is JsonValue v && v.Value is string s) throw new DepthCutException(s);
            throw new FormatException("object expected");
        }

        /// <summary>A list: an array, a single object (ConvertTo-Json of a one-item pipeline) or null (an empty one).</summary>
        private static IEnumerable<JsonNode> Items(JsonNode? node)
        {
            if (node == null || (node is JsonValue nv && nv.Value == null)) return Array.Empty<JsonNode>();
            if (node is JsonArray a) return a.Items;
            if (node is JsonObject) return new[] { node };
            if (node is JsonValue v && v.Value is string s) throw new DepthCutException(s);
            throw new FormatException("list expected");
        }

        /// <summary>A list of strings: an array, one string (collapsed) or null; a cut array (type name) fails.</summary>
        private IReadOnlyList<string> Strings(JsonNode? node)
        {
            if (node == null || (node is JsonValue nv && nv.Value == null)) return Array.Empty<string>();
            if (node is JsonValue v && v.Value is string one)
            {
                if (_depthCut || IsCut(one)) throw new DepthCutException(one);
                return new[] { one };
            }
            if (node is JsonArray a)
                return a.Items.Select(i => i is JsonValue iv && iv.Value is string s ? s : throw new FormatException("string expected")).ToList();
            throw new FormatException("list expected");
        }

        private static string? Str(JsonObject o, string key)
        {
            var n = o[key];
            if (n == null) return null;
            if (n is JsonValue v)
            {
                if (v.Value == null) return null;
                if (v.Value is bool b) return b ? "True" : "False";
                return v.AsString;
            }
            throw new FormatException(key + ": text expected");
        }

        private static string? Empty(string? s) => string.IsNullOrEmpty(s) ? null : s;

        private static long? Long(JsonObject o, string key)
        {
            var n = o[key] as JsonValue;
            if (n == null || n.Value == null) return null;
            switch (n.Value)
            {
                case long l: return l;
                case double d when d == Math.Floor(d) && Math.Abs(d) < 9.2e18: return (long)d;
                case string s when long.TryParse(s, NumberStyles.Integer, Inv, out var p): return p;
            }
            throw new FormatException(key + ": number expected");
        }

        private static double? Double(JsonObject o, string key)
        {
            var n = o[key] as JsonValue;
            if (n == null || n.Value == null) return null;
            if (n.Value is long l) return l;
            if (n.Value is double d) return d;
            throw new FormatException(key + ": number expected");
        }

        private static bool? Bool(JsonObject o, string key)
        {
            var n = o[key] as JsonValue;
            if (n == null || n.Value == null) return null;
            if (n.Value is bool b) return b;
            if (n.Value is long l && (l == 0 || l == 1)) return l == 1;
            if (n.Value is string s && bool.TryParse(s, out var p)) return p;
            throw new FormatException(key + ": boolean expected");
        }

        private static int? SumInt(List<JsonObject> list, string key)
        {
            long sum = 0;
            foreach (var o in list)
            {
                var v = Long(o, key);
                if (v == null) return null;
                sum += v.Value;
            }
            return checked((int)sum);
        }

        /// <summary>
        /// A date: "/Date(ms)/" (5.1; ms since the epoch, UTC, an optional +hhmm zone), ISO 8601 with an
        /// offset (7.x), or Get-Date's object {value: …}. An ISO text without an offset is no instant: null.
        /// </summary>
        internal static DateTimeOffset? Date(JsonNode? node)
        {
            if (node == null || (node is JsonValue nv && nv.Value == null)) return null;
            if (node is JsonObject o) return Date(o["value"]);
            if (!(node is JsonValue v) || !(v.Value is string s)) throw new FormatException("date expected");
            var m = MsDate.Match(s);
            if (m.Success)
            {
                var ms = long.Parse(m.Groups[1].Value, Inv);
                if (ms <= -62135596800000L) return null; // DateTime.MinValue: never
                var instant = DateTimeOffset.FromUnixTimeMilliseconds(ms);
                if (m.Groups[2].Success)
                {
                    var z = m.Groups[2].Value;
                    var offset = new TimeSpan(int.Parse(z.Substring(1, 2), Inv), int.Parse(z.Substring(3, 2), Inv), 0);
                    instant = instant.ToOffset(z[0] == '-' ? -offset : offset);
                }
                return instant;
            }
            if (Regex.IsMatch(s, @"(Z|[+-]\d{2}:\d{2})$") && DateTimeOffset.TryParse(s, Inv, DateTimeStyles.None, out var iso)) return iso;
            if (DateTime.TryParse(s, Inv, DateTimeStyles.None, out _)) return null;
            throw new FormatException("date expected: " + s);
        }

        private static string? IsoDate(string? s)
            => s != null && DateTime.TryParseExact(s, "yyyy-MM-dd", Inv, DateTimeStyles.None, out _) ? s : null;

        private static string? Mac(string? raw)
        {
            if (string.IsNullOrEmpty(raw)) return null;
            var hex = raw!.Replace("-", string.Empty).Replace(":", string.Empty);
            if (hex.Length != 12 || !hex.All(Uri.IsHexDigit)) return raw;
            var pairs = Enumerable.Range(0, 6).Select(i => hex.Substring(i * 2, 2).ToLowerInvariant());
            return string.Join(":", pairs);
        }

        private static string? Architecture(long? code)
        {
            switch (code)
            {
                case 0: return "x86";
                case 5: return "arm";
                case 6: return "ia64";
                case 9: return "x86_64";
                case 12: return "aarch64";
                default: return null;
            }
        }

        private static string? ServiceState(JsonNode? node)
        {
            var v = node as JsonValue;
            if (v?.Value is string s) return s;
            if (v?.Value is long l)
            {
                // ServiceControllerStatus, when a script sends the enum as ConvertTo-Json does.
                switch (l)
                {
                    case 1: return "Stopped";
                    case 2: return "Start Pending";
                    case 3: return "Stop Pending";
                    case 4: return "Running";
                    case 5: return "Continue Pending";
                    case 6: return "Pause Pending";
                    case 7: return "Paused";
                }
            }
            return null;
        }

        /// <summary>Win32_Service's Auto/Manual/Disabled/Boot/System (or ServiceStartMode numbers) as the model names them.</summary>
        private static string? StartMode(JsonNode? node)
        {
            var v = node as JsonValue;
            var s = v?.Value as string;
            if (v?.Value is long l) s = l == 0 ? "Boot" : l == 1 ? "System" : l == 2 ? "Auto" : l == 3 ? "Manual" : l == 4 ? "Disabled" : null;
            switch (s)
            {
                case "Auto": case "Automatic": return "Automatic";
                case "Manual": return "Manual";
                case "Disabled": return "Disabled";
                case "Boot": return "Boot";
                case "System": return "System";
                default: return s;
            }
        }

        /// <summary>NetSecurity's GpoBoolean: True/False (1/0); NotConfigured (2) is no answer.</summary>
        private static bool? GpoBoolean(JsonNode? node)
        {
            var v = node as JsonValue;
            switch (v?.Value)
            {
                case bool b: return b;
                case long l: return l == 1 ? true : l == 0 ? false : (bool?)null;
                case string s: return s == "True" ? true : s == "False" ? false : (bool?)null;
                default: return null;
            }
        }

        /// <summary>NetSecurity's Action: NotConfigured (0), Allow (2), Block (4).</summary>
        private static string? FirewallAction(JsonNode? node)
        {
            var v = node as JsonValue;
            switch (v?.Value)
            {
                case string s: return s;
                case long l: return l == 0 ? "NotConfigured" : l == 2 ? "Allow" : l == 4 ? "Block" : null;
                default: return null;
            }
        }

        /// <summary>VM or physical from Win32_ComputerSystem's maker and model (a hypervisor alone does not make a guest: a Hyper-V host has one too).</summary>
        internal static VirtualisationInfo Virtualisation(JsonObject cs, bool hyperVHost)
        {
            var maker = Str(cs, "manufacturer") ?? string.Empty;
            var model = Str(cs, "model") ?? string.Empty;
            var both = maker + " " + model;
            string? tech = null;
            if (maker.IndexOf("Microsoft", StringComparison.OrdinalIgnoreCase) >= 0 && model.IndexOf("Virtual", StringComparison.OrdinalIgnoreCase) >= 0) tech = "microsoft";
            else if (both.IndexOf("VMware", StringComparison.OrdinalIgnoreCase) >= 0) tech = "vmware";
            else if (both.IndexOf("VirtualBox", StringComparison.OrdinalIgnoreCase) >= 0 || maker.IndexOf("innotek", StringComparison.OrdinalIgnoreCase) >= 0) tech = "oracle";
            else if (both.IndexOf("QEMU", StringComparison.OrdinalIgnoreCase) >= 0 || both.IndexOf("KVM", StringComparison.OrdinalIgnoreCase) >= 0) tech = "kvm";
            else if (both.IndexOf("Xen", StringComparison.OrdinalIgnoreCase) >= 0) tech = "xen";
            else if (maker.IndexOf("Amazon EC2", StringComparison.OrdinalIgnoreCase) >= 0) tech = "amazon";
            else if (maker.IndexOf("Google", StringComparison.OrdinalIgnoreCase) >= 0 && model.IndexOf("Compute Engine", StringComparison.OrdinalIgnoreCase) >= 0) tech = "google";
            else if (maker.IndexOf("Parallels", StringComparison.OrdinalIgnoreCase) >= 0) tech = "parallels";
            if (tech != null) return new VirtualisationInfo { Role = VirtualisationRole.VirtualMachine, Technology = tech };
            var hypervisor = Bool(cs, "hypervisorPresent");
            if (hypervisor == false) return new VirtualisationInfo { Role = VirtualisationRole.Physical };
            // A hypervisor is present and the maker is not a known virtual one: a Hyper-V host, or a guest of an unknown hypervisor.
            return new VirtualisationInfo { Role = hyperVHost ? VirtualisationRole.Physical : VirtualisationRole.Unknown, Technology = hyperVHost ? "microsoft (host)" : null };
        }
    }
}
