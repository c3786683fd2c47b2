using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Tssr.Tools.Engine.Inventory.Model
{
    /// <summary>Whether every fact of a host could be read.</summary>
    public enum InventoryStatus
    {
        Complete,
        /// <summary>Some facts failed (see Facts); the others are kept.</summary>
        Partial,
    }

    /// <summary>How one fact was read.</summary>
    public enum FactStatus
    {
        Ok,
        /// <summary>The command failed or its output could not be read.</summary>
        Failed,
        /// <summary>The tool is not there (no systemd, no virsh, no package manager...).</summary>
        NotAvailable,
        /// <summary>Read, but as a non-root account sees it (root-only details are missing).</summary>
        RootOnly,
    }

    /// <summary>The platform a host runs.</summary>
    public enum InventoryPlatform
    {
        Unknown,
        Linux,
        Windows,
        MacOS,
        OtherUnix,
    }

    /// <summary>What a host is, for virtualisation.</summary>
    public enum VirtualisationRole
    {
        Unknown,
        Physical,
        VirtualMachine,
        Container,
    }

    /// <summary>One fact's provenance: the command or file it came from, and how it went.</summary>
    public sealed class InventoryFact
    {
        internal InventoryFact() { }

        internal InventoryFact(string name, string source, FactStatus status, string? message)
        {
            Name = name;
            Source = source;
            Status = status;
            Message = message;
        }

        public string Name { get; internal set; } = string.Empty;
        public string Source { get; internal set; } = string.Empty;
        public FactStatus Status { get; internal set; }
        public string? Message { get; internal set; }

        public override string ToString() => Status == FactStatus.Ok ? Name + " (" + Source + ")" : Name + " " + Status + ": " + Message;
    }

    public sealed class OperatingSystemInfo
    {
        public string? Name { get; internal set; }
        public string? Version { get; internal set; }
        /// <summary>os-release ID (debian, rhel, ubuntu…) or "windows".</summary>
        public string? Id { get; internal set; }
        /// <summary>debian, redhat, suse, arch, alpine, windows, darwin…</summary>
        public string? Family { get; internal set; }
        public string? PrettyName { get; internal set; }
        /// <summary>Windows: the build with its update revision (20348.2113); null elsewhere.</summary>
        public string? Build { get; internal set; }

        public override string ToString() => PrettyName ?? Name ?? string.Empty;
    }

    public sealed class CpuInfo
    {
        public string? Model { get; internal set; }
        public int? Sockets { get; internal set; }
        public int? Cores { get; internal set; }
        public int? Threads { get; internal set; }
        public string? Architecture { get; internal set; }

        public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0} ({1}s/{2}c/{3}t)", Model, Sockets, Cores, Threads);
    }

    public sealed class MemoryInfo
    {
        public long? TotalBytes { get; internal set; }
        public long? AvailableBytes { get; internal set; }
        public long? SwapTotalBytes { get; internal set; }
        public long? SwapFreeBytes { get; internal set; }

        public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0:0.0} GiB ({1:0.0} free)", (TotalBytes ?? 0) / 1073741824.0, (AvailableBytes ?? 0) / 1073741824.0);
    }

    public sealed class FileSystemEntry
    {
        public string MountPoint { get; internal set; } = string.Empty;
        public string? Type { get; internal set; }
        public string? Source { get; internal set; }
        public long? SizeBytes { get; internal set; }
        public long? FreeBytes { get; internal set; }

        public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0} {1} {2:0.0}/{3:0.0} GiB free", MountPoint, Type, (FreeBytes ?? 0) / 1073741824.0, (SizeBytes ?? 0) / 1073741824.0);
    }

    public sealed class BlockDevice
    {
        public string Name { get; internal set; } = string.Empty;
        public string? Type { get; internal set; }
        public long? SizeBytes { get; internal set; }
        public string? Model { get; internal set; }
        public string? MountPoint { get; internal set; }

        public override string ToString() => Name + " " + Type;
    }

    public sealed class NetworkInterfaceEntry
    {
        public string Name { get; internal set; } = string.Empty;
        public string? MacAddress { get; internal set; }
        public IReadOnlyList<string> IPv4Addresses { get; internal set; } = Array.Empty<string>();
        public IReadOnlyList<string> IPv6Addresses { get; internal set; } = Array.Empty<string>();
        /// <summary>up, down, unknown…</summary>
        public string? State { get; internal set; }
        public int? Mtu { get; internal set; }
        public long? SpeedMbps { get; internal set; }

        public override string ToString() => Name + " " + string.Join(",", IPv4Addresses.Concat(IPv6Addresses));
    }

    public sealed class RouteEntry
    {
        /// <summary>IPv4 or IPv6.</summary>
        public string Family { get; internal set; } = string.Empty;
        public string? Gateway { get; internal set; }
        public string? Interface { get; internal set; }
        public int? Metric { get; internal set; }

        public override string ToString() => Family + " via " + Gateway + " dev " + Interface;
    }

    public sealed class TimeSyncInfo
    {
        public bool? Synchronized { get; internal set; }
        public bool? NtpEnabled { get; internal set; }
        /// <summary>systemd-timesyncd, chronyd, ntpd, w32time…</summary>
        public string? Service { get; internal set; }

        public override string ToString() => (Synchronized == true ? "synchronised" : Synchronized == false ? "not synchronised" : "unknown") + (Service != null ? " (" + Service + ")" : string.Empty);
    }

    public sealed class VirtualGuest
    {
        public string Name { get; internal set; } = string.Empty;
        public string? State { get; internal set; }
        public int? VCpus { get; internal set; }
        public long? MemoryBytes { get; internal set; }
        public bool? Autostart { get; internal set; }
        /// <summary>virsh -c &lt;uri&gt; or Get-VM.</summary>
        public string? Source { get; internal set; }

        public override string ToString() => Name + " " + State;
    }

    public sealed class VirtualisationInfo
    {
        public VirtualisationRole Role { get; internal set; }
        /// <summary>kvm, vmware, microsoft, xen, docker, lxc… (systemd-detect-virt's names).</summary>
        public string? Technology { get; internal set; }
        public IReadOnlyList<VirtualGuest> Guests { get; internal set; } = Array.Empty<VirtualGuest>();

        public override string ToString() => Role + (Technology != null ? " (" + Technology + ")" : string.Empty) + (Guests.Count > 0 ? ", " + Guests.Count.ToString(CultureInfo.InvariantCulture) + " guest(s)" : string.Empty);
    }

    public sealed class ServiceEntry
    {
        public string Name { get; internal set; } = string.Empty;
        /// <summary>active, inactive, failed (systemd) or Running, Stopped (Windows).</summary>
        public string? State { get; internal set; }
        public string? SubState { get; internal set; }
        /// <summary>enabled, disabled, static, masked (systemd) or Automatic, Manual, Disabled (Windows).</summary>
        public string? StartMode { get; internal set; }

        public override string ToString() => Name + " " + State + "/" + StartMode;
    }

    public sealed class ListeningSocket
    {
        /// <summary>tcp, udp, tcp6, udp6.</summary>
        public string Protocol { get; internal set; } = string.Empty;
        public string LocalIPAddress { get; internal set; } = string.Empty;
        public int Port { get; internal set; }
        public string? Process { get; internal set; }
        public int? ProcessId { get; internal set; }

        public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0} {1}:{2} {3}", Protocol, LocalIPAddress, Port, Process);
    }

    public sealed class AdministratorEntry
    {
        public string Name { get; internal set; } = string.Empty;
        /// <summary>uid0, group:sudo, group:wheel, group:admin, group:Administrators.</summary>
        public string Reason { get; internal set; } = string.Empty;

        public override string ToString() => Name + " (" + Reason + ")";
    }

    public sealed class PendingUpdateInfo
    {
        /// <summary>apt, dnf, yum, zypper, WindowsUpdate.</summary>
        public string? Manager { get; internal set; }
        public int ItemCount { get; internal set; }
        public int? SecurityCount { get; internal set; }
        public IReadOnlyList<string> Names { get; internal set; } = Array.Empty<string>();

        public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0}: {1} ({2} security)", Manager, ItemCount, SecurityCount?.ToString(CultureInfo.InvariantCulture) ?? "?");
    }

    /// <summary>An installed Windows update (Win32_QuickFixEngineering).</summary>
    public sealed class HotfixEntry
    {
        /// <summary>KB5032198…</summary>
        public string Id { get; internal set; } = string.Empty;
        /// <summary>Update, Security Update, Hotfix…</summary>
        public string? Description { get; internal set; }
        /// <summary>The installation date as yyyy-MM-dd (a date without a time zone), null when Windows does not record it.</summary>
        public string? InstalledOn { get; internal set; }
        public string? InstalledBy { get; internal set; }

        public override string ToString() => Id + (InstalledOn != null ? " (" + InstalledOn + ")" : string.Empty);
    }

    /// <summary>Installed software, as Programs and Features lists it (registry uninstall keys).</summary>
    public sealed class SoftwareEntry
    {
        public string Name { get; internal set; } = string.Empty;
        public string? Version { get; internal set; }
        public string? Publisher { get; internal set; }
        /// <summary>yyyyMMdd as the installer wrote it, when it did.</summary>
        public string? InstallDate { get; internal set; }
        /// <summary>machine (64-bit view) or machine-x86 (WOW6432Node).</summary>
        public string? Scope { get; internal set; }

        public override string ToString() => Name + (Version != null ? " " + Version : string.Empty);
    }

    /// <summary>A local account (Windows Get-LocalUser).</summary>
    public sealed class LocalUserEntry
    {
        public string Name { get; internal set; } = string.Empty;
        public bool? Enabled { get; internal set; }
        public string? Sid { get; internal set; }
        public DateTimeOffset? LastLogon { get; internal set; }
        public bool? PasswordRequired { get; internal set; }

        public override string ToString() => Name + (Enabled == false ? " (disabled)" : string.Empty);
    }

    /// <summary>A Windows Firewall profile as it is in force (ActiveStore).</summary>
    public sealed class FirewallProfileEntry
    {
        /// <summary>Domain, Private, Public.</summary>
        public string Name { get; internal set; } = string.Empty;
        public bool? Enabled { get; internal set; }
        /// <summary>Block, Allow, NotConfigured.</summary>
        public string? DefaultInboundAction { get; internal set; }
        public string? DefaultOutboundAction { get; internal set; }

        public override string ToString() => Name + " " + (Enabled == true ? "on" : Enabled == false ? "off" : "?") + " in:" + DefaultInboundAction + " out:" + DefaultOutboundAction;
    }

    public sealed class SshHostKeyEntry
    {
        public string KeyType { get; internal set; } = string.Empty;
        public string Fingerprint { get; internal set; } = string.Empty;

        public override string ToString() => KeyType + " " + Fingerprint;
    }

    /// <summary>
    /// One host's inventory, the same shape for Linux and Windows hosts and the local machine.
    /// Every fact's source and outcome is in <see cref="Facts"/>; a fact that failed leaves its
    /// field empty and the rest of the host is kept.
    /// </summary>
    public sealed class ServerInventory
    {
        /// <summary>The version of the JSON form Export-TssrInventory writes.</summary>
        public const int SchemaVersion = 1;

        public string ComputerName { get; internal set; } = string.Empty;
        public int? Port { get; internal set; }
        public InventoryStatus Status { get; internal set; }
        public DateTimeOffset CollectedAt { get; internal set; }
        /// <summary>ssh, local.</summary>
        public string Transport { get; internal set; } = string.Empty;
        public InventoryPlatform Platform { get; internal set; }
        public string? UserName { get; internal set; }
        public bool? IsRoot { get; internal set; }
        public string? HostName { get; internal set; }
        public string? Fqdn { get; internal set; }
        /// <summary>Windows: the Active Directory domain or the workgroup.</summary>
        public string? Domain { get; internal set; }
        /// <summary>Windows: true when the host is joined to a domain (false: Domain is a workgroup).</summary>
        public bool? DomainJoined { get; internal set; }
        public OperatingSystemInfo? OperatingSystem { get; internal set; }
        public string? Kernel { get; internal set; }
        public CpuInfo? Cpu { get; internal set; }
        public MemoryInfo? Memory { get; internal set; }
        public IReadOnlyList<FileSystemEntry> FileSystems { get; internal set; } = Array.Empty<FileSystemEntry>();
        public IReadOnlyList<BlockDevice> BlockDevices { get; internal set; } = Array.Empty<BlockDevice>();
        public IReadOnlyList<NetworkInterfaceEntry> Interfaces { get; internal set; } = Array.Empty<NetworkInterfaceEntry>();
        public IReadOnlyList<RouteEntry> DefaultRoutes { get; internal set; } = Array.Empty<RouteEntry>();
        public IReadOnlyList<string> DnsServers { get; internal set; } = Array.Empty<string>();
        public DateTimeOffset? BootTime { get; internal set; }
        public double? UptimeSeconds { get; internal set; }
        public TimeSyncInfo? TimeSync { get; internal set; }
        public VirtualisationInfo? Virtualisation { get; internal set; }
        public IReadOnlyList<ServiceEntry> Services { get; internal set; } = Array.Empty<ServiceEntry>();
        public IReadOnlyList<ListeningSocket> ListeningSockets { get; internal set; } = Array.Empty<ListeningSocket>();
        public IReadOnlyList<AdministratorEntry> Administrators { get; internal set; } = Array.Empty<AdministratorEntry>();
        public int? PackageCount { get; internal set; }
        public string? PackageManager { get; internal set; }
        public PendingUpdateInfo? PendingUpdates { get; internal set; }
        public bool? RebootRequired { get; internal set; }
        public string? RebootReason { get; internal set; }
        public IReadOnlyList<SshHostKeyEntry> SshHostKeys { get; internal set; } = Array.Empty<SshHostKeyEntry>();
        /// <summary>Windows: installed updates (empty on other platforms).</summary>
        public IReadOnlyList<HotfixEntry> Hotfixes { get; internal set; } = Array.Empty<HotfixEntry>();
        /// <summary>Windows: installed software from the uninstall keys (empty on other platforms).</summary>
        public IReadOnlyList<SoftwareEntry> Software { get; internal set; } = Array.Empty<SoftwareEntry>();
        /// <summary>Windows: local accounts (empty on other platforms).</summary>
        public IReadOnlyList<LocalUserEntry> LocalUsers { get; internal set; } = Array.Empty<LocalUserEntry>();
        /// <summary>Windows: firewall profiles in force (empty on other platforms).</summary>
        public IReadOnlyList<FirewallProfileEntry> FirewallProfiles { get; internal set; } = Array.Empty<FirewallProfileEntry>();
        public IReadOnlyList<InventoryFact> Facts { get; internal set; } = Array.Empty<InventoryFact>();

        /// <summary>Listening sockets as text (Export-Csv).</summary>
        public string ListeningPortText => string.Join(" ", ListeningSockets.Select(s => s.Protocol + "/" + s.Port.ToString(CultureInfo.InvariantCulture)).Distinct());
        /// <summary>Administrators as text (Export-Csv).</summary>
        public string AdministratorText => string.Join(", ", Administrators.Select(a => a.Name).Distinct());
        /// <summary>Addresses of every interface as text (Export-Csv).</summary>
        public string IPAddressText => string.Join(", ", Interfaces.SelectMany(i => i.IPv4Addresses.Concat(i.IPv6Addresses)));
        /// <summary>The facts that failed, as text (Export-Csv).</summary>
        public string FactErrorText => string.Join("; ", Facts.Where(f => f.Status == FactStatus.Failed || f.Status == FactStatus.NotAvailable).Select(f => f.Name + ": " + f.Message));

        public override string ToString() => ComputerName + " " + (OperatingSystem?.PrettyName ?? string.Empty) + " " + Status;
    }
}
