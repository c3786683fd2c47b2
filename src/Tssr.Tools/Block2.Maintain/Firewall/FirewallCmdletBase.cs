using System.Collections.Generic;
using System.Management.Automation;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Firewall.Model;
using Tssr.Tools.Engine.Firewall.Parsers;

namespace Tssr.Tools
{
    /// <summary>What the firewall cmdlets share: reading rule sets from files or from the local host.</summary>
    public abstract class FirewallCmdletBase : TssrCmdlet
    {
        protected const string ByRuleSet = nameof(ByRuleSet);
        protected const string ByPath = nameof(ByPath);
        protected const string ByLive = nameof(ByLive);

        /// <summary>Resolves PowerShell paths (wildcards, PSDrives) to files; a bad path is a per-path error.</summary>
        protected IEnumerable<string> ResolveFiles(IEnumerable<string> paths)
        {
            foreach (var path in paths)
            {
                IEnumerable<string> resolved;
                try
                {
                    resolved = GetResolvedProviderPathFromPSPath(path, out _);
                }
                catch (ItemNotFoundException)
                {
                    WriteTssrError(new TssrError("FirewallFileNotFound", TssrErrorCategory.ObjectNotFound, path,
                        EngineText.Format("Error_Unexpected", path), null));
                    continue;
                }
                foreach (var file in resolved) yield return file;
            }
        }

        /// <summary>
        /// The Windows Firewall profile a -Path form was given (-Profile), or null: every profile's
        /// rules count. Cmdlets that offer the parameter declare it and call this.
        /// </summary>
        protected WindowsFirewallProfile? BoundProfile(WindowsFirewallProfile value)
            => MyInvocation.BoundParameters.ContainsKey("Profile") ? value : (WindowsFirewallProfile?)null;

        /// <summary>Reads one file; a file that cannot be read is reported and skipped (null).</summary>
        protected FirewallRuleSet? ReadFile(string file, RuleSetFormat format, bool terminating, WindowsFirewallProfile? profile = null)
        {
            try
            {
                var set = FirewallRuleSetReader.ReadFile(file, format, profile, Cancellation);
                foreach (var w in set.Warnings) WriteWarning(w);
                return set;
            }
            catch (TssrException e) when (!terminating)
            {
                WriteTssrError(e.Error);
                return null;
            }
            catch (TssrException e)
            {
                ThrowTerminatingError(ErrorFactory.Create(e.Error));
                return null;
            }
        }

        /// <summary>Reads the local host's rules (nft, then iptables-save).</summary>
        protected FirewallRuleSet ReadLive(RuleSetFormat format)
        {
            FirewallRuleSet? result = null;
            Run(async (sink, ct) => result = await FirewallLiveReader.ReadAsync(format, sink, ct).ConfigureAwait(false));
            foreach (var w in result!.Warnings) WriteWarning(w);
            return result;
        }
    }
}
