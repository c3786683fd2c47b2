using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Threading;
using System.Threading.Tasks;

namespace Tssr.Tools.Engine.Network.Arp
{
    /// <summary>
    /// The operating system's neighbour table (ARP and NDP cache): one MAC per address and
    /// interface, the one the host currently sends to. It cannot show a conflict by itself, but
    /// beside a duplicate it tells which of the machines gets this host's traffic right now.
    /// </summary>
    internal static class NeighbourTable
    {
        private const string ProcArp = "/proc/net/arp";

        /// <summary>Reads the IPv4 table of Linux (/proc/net/arp); empty where there is none.</summary>
        public static IDictionary<string, string> ReadIPv4()
        {
            try
            {
                return File.Exists(ProcArp) ? ParseProcNetArp(File.ReadAllText(ProcArp)) : new Dictionary<string, string>();
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return new Dictionary<string, string>();
            }
        }

        /// <summary>
        /// Reads the IPv6 table through `ip -6 neigh show` (Linux keeps it only in netlink); empty
        /// when ip(8) is missing or does not answer within two seconds.
        /// </summary>
        public static async Task<IDictionary<string, string>> ReadIPv6Async(CancellationToken cancellationToken)
        {
            var output = await RunAsync("ip", "-6 neigh show", TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
            return output == null ? new Dictionary<string, string>() : ParseIpNeigh(output);
        }

        /// <summary>The key under which an entry is kept: interface and address.</summary>
        public static string Key(string interfaceName, IPAddress address) => interfaceName + "|" + address;

        /// <summary>
        /// Parses /proc/net/arp. Entries without a resolved MAC (flags 0x0, or all zeros) are left
        /// out: they are questions the kernel asked, not answers it got.
        /// </summary>
        public static IDictionary<string, string> ParseProcNetArp(string text)
        {
            var table = new Dictionary<string, string>(StringComparer.Ordinal);
            var lines = text.Split('\n');
            for (var i = 1; i < lines.Length; i++)
            {
                var fields = lines[i].Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 6) continue;
                if (!IPAddress.TryParse(fields[0], out var address)) continue;
                if (!int.TryParse(fields[2].Replace("0x", string.Empty), System.Globalization.NumberStyles.HexNumber, null, out var flags) || (flags & 0x2) == 0) continue;
                var mac = LinkAddress.Parse(fields[3]);
                if (mac == null || LinkAddress.IsZero(mac)) continue;
                table[Key(fields[5], address)] = LinkAddress.Format(mac);
            }
            return table;
        }

        /// <summary>Parses `ip neigh show` lines: "ADDR dev IF lladdr MAC [router] STATE".</summary>
        public static IDictionary<string, string> ParseIpNeigh(string text)
        {
            var table = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var line in text.Split('\n'))
            {
                var fields = line.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 5 || !IPAddress.TryParse(fields[0], out var address)) continue;
                string? device = null;
                byte[]? mac = null;
                for (var i = 1; i + 1 < fields.Length; i++)
                {
                    if (fields[i] == "dev") device = fields[i + 1];
                    else if (fields[i] == "lladdr") mac = LinkAddress.Parse(fields[i + 1]);
                }
                var state = fields[fields.Length - 1];
                if (device == null || mac == null || LinkAddress.IsZero(mac) || state == "FAILED" || state == "INCOMPLETE") continue;
                table[Key(device, new IPAddress(address.GetAddressBytes()))] = LinkAddress.Format(mac);
            }
            return table;
        }

        private static async Task<string?> RunAsync(string file, string arguments, TimeSpan timeout, CancellationToken cancellationToken)
        {
            var start = new ProcessStartInfo(file, arguments)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                CreateNoWindow = true,
            };
            Process process;
            try
            {
                process = Process.Start(start)!;
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception || e is InvalidOperationException)
            {
                return null;
            }
            using (process)
            {
                var output = process.StandardOutput.ReadToEndAsync();
                var errors = process.StandardError.ReadToEndAsync();
                var finished = await Task.WhenAny(output, Task.Delay(timeout, cancellationToken)).ConfigureAwait(false);
                if (finished != output)
                {
                    try
                    {
                        process.Kill();
                    }
                    catch (InvalidOperationException)
                    {
                    }
                    cancellationToken.ThrowIfCancellationRequested();
                    return null;
                }
                await errors.ConfigureAwait(false);
                return await output.ConfigureAwait(false);
            }
        }
    }
}
