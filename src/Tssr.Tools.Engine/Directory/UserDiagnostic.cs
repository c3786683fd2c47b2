using System;
using System.Collections.Generic;
using System.DirectoryServices.Protocols;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Directory
{
    /// <summary>The reasons a logon can be refused, as stable codes (the sentences are in <see cref="UserDiagnostic.Explanation"/>).</summary>
    public enum LogonProblem
    {
        NotFound,
        Disabled,
        LockedOut,
        AccountExpired,
        PasswordExpired,
        MustChangePassword,
        OutsideLogonHours,
        WorkstationRestricted,
        NearLockout,
    }

    /// <summary>One answer to "why can't this user log on?".</summary>
    public sealed class UserDiagnostic
    {
        internal UserDiagnostic(string identity)
        {
            Identity = identity;
        }

        public string Identity { get; }
        public bool Exists { get; internal set; }
        /// <summary>True when nothing the directory knows prevents a logon now (the password typed is another matter).</summary>
        public bool CanLogOn => Problems.All(p => p == LogonProblem.NearLockout);
        public LogonProblem[] Problems { get; internal set; } = Array.Empty<LogonProblem>();
        /// <summary>The findings in the current UI language (French or English), most blocking first.</summary>
        public string[] Explanation { get; internal set; } = Array.Empty<string>();
        public string? SamAccountName { get; internal set; }
        public string? UserPrincipalName { get; internal set; }
        public string? DisplayName { get; internal set; }
        public bool Enabled { get; internal set; }
        public bool LockedOut { get; internal set; }
        public DateTime? LockoutTime { get; internal set; }
        /// <summary>When the lockout ends by itself; null while locked means until an administrator unlocks.</summary>
        public DateTime? LockoutEnd { get; internal set; }
        public bool AccountExpired { get; internal set; }
        public DateTime? AccountExpirationDate { get; internal set; }
        public bool PasswordExpired { get; internal set; }
        public bool MustChangePassword { get; internal set; }
        public bool PasswordNeverExpires { get; internal set; }
        public DateTime? PasswordLastSet { get; internal set; }
        public DateTime? PasswordExpires { get; internal set; }
        public DateTime? LastBadPasswordAttempt { get; internal set; }
        /// <summary>The count the DC applies now (0 once lockOutObservationWindow has passed since the last wrong password).</summary>
        public int BadLogonCount { get; internal set; }
        /// <summary>When BadLogonCount falls back to 0 if no wrong password comes before.</summary>
        public DateTime? BadLogonCountReset { get; internal set; }
        public int LockoutThreshold { get; internal set; }
        public bool LogonHoursRestricted { get; internal set; }
        public bool LogonHoursAllowNow { get; internal set; } = true;
        public string? LogonWorkstations { get; internal set; }
        /// <summary>Groups in the user's token (nested and primary included, from tokenGroups); the direct ones are in DirectGroupCount.</summary>
        public int GroupCount { get; internal set; }
        public int DirectGroupCount { get; internal set; }
        public DateTime? LastLogonDate { get; internal set; }
        public string? PolicySource { get; internal set; }
        public string? DistinguishedName { get; internal set; }
        public DateTime CheckedAt { get; internal set; }

        public override string ToString() => Identity;
    }

    /// <summary>Get-TssrUserDiagnostic.</summary>
    public sealed class UserDiagnostics
    {
        private static readonly Localizer Text = DirectoryText.Strings;
        private readonly UserDirectory _directory;

        public UserDiagnostics(UserDirectory directory)
        {
            _directory = directory;
        }

        public async Task DiagnoseAsync(IEnumerable<string> identities, IEngineSink sink, CancellationToken ct)
        {
            foreach (var identity in identities)
            {
                ct.ThrowIfCancellationRequested();
                try
                {
                    sink.Output(await DiagnoseAsync(identity, ct).ConfigureAwait(false));
                }
                catch (TssrException e)
                {
                    sink.Error(e.Error);
                }
            }
        }

        public async Task<UserDiagnostic> DiagnoseAsync(string identity, CancellationToken ct)
        {
            var now = DateTime.UtcNow;
            var d = new UserDiagnostic(identity) { CheckedAt = now };
            DirectoryUser user;
            try
            {
                user = await _directory.ReadUserAsync(identity, ct).ConfigureAwait(false);
            }
            catch (TssrException e) when (e.Error.ErrorId == "DirectoryUserNotFound")
            {
                d.Problems = new[] { LogonProblem.NotFound };
                d.Explanation = new[] { Text.Format("Diag_NotFound", identity, _directory.Session.BaseDn) };
                return d;
            }
            var policy = await PasswordPolicy.ForUserAsync(_directory.Session, user.DistinguishedName, ct).ConfigureAwait(false);
            d.Exists = true;
            d.SamAccountName = user.SamAccountName;
            d.UserPrincipalName = user.UserPrincipalName;
            d.DisplayName = user.DisplayName;
            d.DistinguishedName = user.DistinguishedName;
            d.Enabled = user.Enabled;
            d.LockedOut = user.LockedOut;
            d.LockoutTime = user.LockoutTime;
            d.LockoutEnd = user.LockedOut ? AccountState.LockoutEnd(user.LockoutTime, policy.LockoutDuration) : null;
            d.AccountExpirationDate = user.AccountExpirationDate;
            d.AccountExpired = user.AccountExpirationDate.HasValue && user.AccountExpirationDate.Value <= now;
            d.MustChangePassword = user.MustChangePassword;
            d.PasswordNeverExpires = user.PasswordNeverExpires;
            d.PasswordLastSet = user.PasswordLastSet;
            d.PasswordExpires = AccountState.PasswordExpires(user.PasswordLastSet, user.PasswordNeverExpires, policy.MaxAge);
            d.PasswordExpired = !user.MustChangePassword && (user.ComputedAccountControl.HasValue
                ? user.PasswordExpired
                : d.PasswordExpires.HasValue && d.PasswordExpires.Value <= now);
            d.LastBadPasswordAttempt = user.LastBadPasswordAttempt;
            d.BadLogonCount = AccountState.EffectiveBadLogonCount(user.BadLogonCount, user.LastBadPasswordAttempt, policy.ObservationWindow, now);
            d.BadLogonCountReset = d.BadLogonCount > 0 ? AccountState.BadLogonCountReset(user.BadLogonCount, user.LastBadPasswordAttempt, policy.ObservationWindow) : null;
            d.LockoutThreshold = policy.LockoutThreshold;
            d.LogonHoursRestricted = user.LogonHoursRestricted;
            d.LogonHoursAllowNow = AccountState.LogonHoursAllow(user.LogonHours, now);
            d.LogonWorkstations = string.IsNullOrWhiteSpace(user.LogonWorkstations) ? null : user.LogonWorkstations;
            d.DirectGroupCount = user.MemberOf.Length;
            d.LastLogonDate = user.LastLogonDate;
            d.PolicySource = policy.Source;
            var token = await _directory.Session.ReadAsync(user.DistinguishedName, new[] { "tokenGroups" }, ct).ConfigureAwait(false);
            var tokenGroups = token?.Attributes["tokenGroups"];
            d.GroupCount = tokenGroups != null ? tokenGroups.Count : user.MemberOf.Length + 1;

            var problems = new List<LogonProblem>();
            var text = new List<string>();
            if (!d.Enabled) { problems.Add(LogonProblem.Disabled); text.Add(Text.Get("Diag_Disabled")); }
            if (d.LockedOut)
            {
                problems.Add(LogonProblem.LockedOut);
                text.Add(d.LockoutEnd.HasValue
                    ? Text.Format("Diag_LockedUntil", Local(d.LockoutTime), Local(d.LockoutEnd))
                    : Text.Format("Diag_LockedForever", Local(d.LockoutTime)));
            }
            if (d.AccountExpired) { problems.Add(LogonProblem.AccountExpired); text.Add(Text.Format("Diag_AccountExpired", Local(d.AccountExpirationDate))); }
            if (d.MustChangePassword) { problems.Add(LogonProblem.MustChangePassword); text.Add(Text.Format("Diag_MustChange", d.SamAccountName)); }
            if (d.PasswordExpired) { problems.Add(LogonProblem.PasswordExpired); text.Add(Text.Format("Diag_PasswordExpired", Local(d.PasswordExpires))); }
            if (!d.LogonHoursAllowNow) { problems.Add(LogonProblem.OutsideLogonHours); text.Add(Text.Get("Diag_LogonHours")); }
            if (d.LogonWorkstations != null) { problems.Add(LogonProblem.WorkstationRestricted); text.Add(Text.Format("Diag_Workstations", d.LogonWorkstations)); }
            if (!d.LockedOut && d.LockoutThreshold > 0 && d.BadLogonCount > 0)
            {
                problems.Add(LogonProblem.NearLockout);
                text.Add(d.BadLogonCountReset.HasValue
                    ? Text.Format("Diag_BadPasswordsUntil", d.BadLogonCount, d.LockoutThreshold, Local(d.LastBadPasswordAttempt), Local(d.BadLogonCountReset))
                    : Text.Format("Diag_BadPasswords", d.BadLogonCount, d.LockoutThreshold, Local(d.LastBadPasswordAttempt)));
            }
            else if (d.LockedOut && d.LastBadPasswordAttempt.HasValue)
            {
                text.Add(Text.Format("Diag_LastBadPassword", Local(d.LastBadPasswordAttempt)));
            }
            if (problems.Count == 0 || problems.All(p => p == LogonProblem.NearLockout))
                text.Insert(0, Text.Format("Diag_Healthy", d.GroupCount));
            d.Problems = problems.ToArray();
            d.Explanation = text.ToArray();
            return d;
        }

        private static string Local(DateTime? utc) => utc.HasValue ? utc.Value.ToLocalTime().ToString("g", System.Globalization.CultureInfo.CurrentCulture) : "?";
    }
}
