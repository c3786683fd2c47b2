using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Directory;

namespace Tssr.Tools
{
    /// <summary>
    /// The default session of Connect-TssrDirectory, for interactive use: the last one opened,
    /// until Disconnect-TssrDirectory closes it.
    /// </summary>
    public static class DirectorySessionStore
    {
        private static DirectorySession? _default;

        public static DirectorySession? Default
        {
            get { var s = Volatile.Read(ref _default); return s != null && s.IsOpen ? s : null; }
            internal set => Volatile.Write(ref _default, value);
        }
    }

    /// <summary>
    /// Base of every directory cmdlet: the connection parameters live here once. A cmdlet uses
    /// -Session, else a session opened for its own duration from -Server/-Credential, else the
    /// default session of Connect-TssrDirectory.
    /// </summary>
    public abstract class DirectoryCmdlet : TssrCmdlet
    {
        private DirectorySession? _session;
        private bool _ownsSession;

        /// <summary>The session from Connect-TssrDirectory.</summary>
        [Parameter]
        [ValidateNotNull]
        public DirectorySession? Session { get; set; }

        /// <summary>A domain controller to connect to for this command only (LDAPS, port 636).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Server { get; set; }

        /// <summary>The account used with -Server.</summary>
        [Parameter]
        [Credential]
        public PSCredential? Credential { get; set; }

        /// <summary>A CA certificate (file or directory) trusted for -Server, besides the system's.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? TrustedCertificatePath { get; set; }

        /// <summary>The session this command works through (opened on first use).</summary>
        protected DirectorySession CurrentSession
        {
            get
            {
                if (_session != null) return _session;
                if (Session != null)
                {
                    _session = Session;
                }
                else if (Server != null)
                {
                    var options = new DirectoryConnectionOptions(Server)
                    {
                        TrustedCertificatePath = TrustedCertificatePath == null ? null : GetUnresolvedProviderPathFromPSPath(TrustedCertificatePath),
                    };
                    if (Credential != null && Credential != PSCredential.Empty)
                    {
                        options.UserName = Credential.UserName;
                        options.Password = Credential.Password;
                    }
                    else
                    {
                        options.UseCurrentIdentity = true;
                    }
                    DirectorySession? opened = null;
                    Run(async (sink, ct) => opened = await DirectorySession.ConnectAsync(options, sink, ct).ConfigureAwait(false));
                    _session = opened!;
                    _ownsSession = true;
                }
                else
                {
                    _session = DirectorySessionStore.Default;
                    if (_session == null)
                        ThrowTerminatingError(ErrorFactory.Create("DirectoryNotConnected", TssrErrorCategory.InvalidOperation, MyInvocation.MyCommand.Name,
                            DirectoryCmdletText.Get("Error_NotConnected"), DirectoryCmdletText.Get("Action_NotConnected")));
                }
                return _session!;
            }
        }

        /// <summary>The operations over this command's session; a change with nothing to do says so (shown under -WhatIf).</summary>
        protected UserDirectory Directory => new UserDirectory(CurrentSession) { NothingToDo = _nothingToDo.Enqueue };

        private readonly ConcurrentQueue<string> _nothingToDo = new ConcurrentQueue<string>();

        /// <summary>
        /// "Nothing to do" sentences of the last work: under -WhatIf they are printed as PowerShell
        /// prints its own "What if:" lines (a silent -WhatIf reads as "it would change something"),
        /// otherwise they are verbose notes.
        /// </summary>
        private void WriteNothingToDo()
        {
            var whatIf = MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w) && w is SwitchParameter sw && sw.IsPresent;
            while (_nothingToDo.TryDequeue(out var message))
            {
                if (whatIf) Host.UI.WriteLine(DirectoryCmdletText.Format("WhatIf_NothingToDo", message));
                else WriteVerbose(message);
            }
        }

        /// <summary>
        /// Runs work for one pipeline target: a failure of that target is a non-terminating error,
        /// so the next targets are still processed.
        /// </summary>
        protected void RunForTarget(Func<IEngineSink, CancellationToken, Task> work)
        {
            Run(async (sink, ct) =>
            {
                try
                {
                    await work(sink, ct).ConfigureAwait(false);
                }
                catch (TssrException e)
                {
                    sink.Error(e.Error);
                }
            });
            WriteNothingToDo();
        }

        protected override void EndProcessing()
        {
            CloseOwnSession();
            base.EndProcessing();
        }

        /// <summary>A session opened for this command (-Server) is closed after a terminating error or Ctrl+C too.</summary>
        protected override void Dispose(bool disposing)
        {
            if (disposing) CloseOwnSession();
            base.Dispose(disposing);
        }

        private void CloseOwnSession()
        {
            if (_ownsSession) _session?.Dispose();
            _ownsSession = false;
        }

        internal static Localizer DirectoryCmdletText => DirectoryText.Strings;
    }
}
