using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Microsoft.PowerShell.Commands;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Firewall;
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

        /// <summary>The area's texts (the one accessor: <see cref="FirewallText"/>).</summary>
        private protected static readonly Localizer FirewallStrings = FirewallText.Strings;

        /// <summary>
        /// Resolves PowerShell paths (wildcards, PSDrives) to files. A path that names nothing (or a
        /// pattern that matches nothing) is FirewallFileNotFound, a path on another provider
        /// (Env:, HKLM:, Variable:...) FirewallPathNotFileSystem: a per-path error, or terminating.
        /// </summary>
        protected IEnumerable<string> ResolveFiles(IEnumerable<string> paths, bool terminating = false)
        {
            foreach (var path in paths)
            {
                IEnumerable<string> resolved;
                ProviderInfo provider;
                try
                {
                    resolved = GetResolvedProviderPathFromPSPath(path, out provider);
                }
                catch (System.Exception e) when (e is ItemNotFoundException || e is DriveNotFoundException || e is ProviderNotFoundException)
                {
                    Report(NotFound(path), terminating);
                    continue;
                }
                if (provider.ImplementingType != typeof(FileSystemProvider))
                {
                    Report(new TssrError("FirewallPathNotFileSystem", TssrErrorCategory.InvalidArgument, path,
                        FirewallStrings.Format("Error_PathNotFileSystem", path, provider.Name), FirewallStrings.Get("Action_PathNotFileSystem")), terminating);
                    continue;
                }
                var files = resolved.ToList();
                if (files.Count == 0)
                {
                    Report(NotFound(path), terminating);
                    continue;
                }
                foreach (var file in files) yield return file;
            }
        }

        /// <summary>One file for a single-path parameter (-ReferencePath, -Path of a flow): any problem stops the command.</summary>
        protected string ResolveFile(string path) => ResolveFiles(new[] { path }, terminating: true).First();

        private static TssrError NotFound(string path)
            => new TssrError("FirewallFileNotFound", TssrErrorCategory.ObjectNotFound, path,
                FirewallStrings.Format("Error_FileNotFound", path), FirewallStrings.Get("Action_FileNotFound"));

        private void Report(TssrError error, bool terminating)
        {
            if (terminating) ThrowTerminatingError(ErrorFactory.Create(error));
            else WriteTssrError(error);
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
