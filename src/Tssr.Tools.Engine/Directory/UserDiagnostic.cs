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
        public ValueList<LogonProblem> Problems { get; internal set; } = ValueList<LogonProblem>.Empty;
        /// <summary>The findings in the current UI language (French or English), most blocking first.</summary>
        public ValueList<string> Explanation { get; internal set; } = ValueList<string>.Empty;
        public string? SamAccountName { get; internal set; }
        public string? UserPrincipalName { get; internal set; }
        public string? DisplayName { get; internal set; }
        public bool Enabled { get; internal set; }
        public bool LockedOut { get; internal set; }
        /// <summary>Every date property is in local time, as RSAT gives it (the explanations use the same zone).</summary>
        public DateTime? LockoutTime => LocalTime.Of(LockoutTimeUtc);
        /// <summary>When the lockout ends by itself; null while locked means until an administrator unlocks.</summary>
        public DateTime? LockoutEnd => LocalTime.Of(LockoutEndUtc);
        public bool AccountExpired { get; internal set; }
        public DateTime? AccountExpirationDate => LocalTime.Of(AccountExpirationDateUtc);
        public bool PasswordExpired { get; internal set; }
        public bool MustChangePassword { get; internal set; }
        public bool PasswordNeverExpires { get; internal set; }
        public DateTime? PasswordLastSet => LocalTime.Of(PasswordLastSetUtc);
        public DateTime? PasswordExpires => LocalTime.Of(PasswordExpiresUtc);
        public DateTime? LastBadPasswordAttempt => LocalTime.Of(LastBadPasswordAttemptUtc);
        /// <summary>The count the DC applies now (0 once lockOutObservationWindow has passed since the last wrong password).</summary>
        public int BadLogonCount { get; internal set; }
        /// <summary>When BadLogonCount falls back to 0 if no wrong password comes before.</summary>
        public DateTime? BadLogonCountReset => LocalTime.Of(BadLogonCountResetUtc);
        /// <summary>Wrong passwords allowed before lockout (0: no lockout); null when the policy could not be read with this account.</summary>
        public int? LockoutThreshold { get; internal set; }
        /// <summary>Minimum password length of the effective policy; null when it could not be read.</summary>
        public int? MinimumPasswordLength { get; internal set; }
        public bool LogonHoursRestricted { get; internal set; }
        public bool LogonHoursAllowNow { get; internal set; } = true;
        public string? LogonWorkstations { get; internal set; }
        /// <summary>Groups in the user's token (nested and primary included, from tokenGroups); the direct ones are in DirectGroupCount.</summary>
        public int GroupCount { get; internal set; }
        public int DirectGroupCount { get; internal set; }
        public DateTime? LastLogonDate => LocalTime.Of(LastLogonDateUtc);
        public string? PolicySource { get; internal set; }
        /// <summary>False when a policy applies (PolicySource) whose settings this account may not read: the policy values are then null and nothing is concluded from them.</summary>
        public bool PolicyReadable { get; internal set; } = true;
        public string? DistinguishedName { get; internal set; }
        public DateTime CheckedAt => LocalTime.Of(CheckedAtUtc)!.Value;

        internal DateTime? LockoutTimeUtc { get; set; }
        internal DateTime? LockoutEndUtc { get; set; }
        internal DateTime? AccountExpirationDateUtc { get; set; }
        internal DateTime? PasswordLastSetUtc { get; set; }
        internal DateTime? PasswordExpiresUtc { get; set; }
        internal DateTime? LastBadPasswordAttemptUtc { get; set; }
        internal DateTime? BadLogonCountResetUtc { get; set; }
        internal DateTime? LastLogonDateUtc { get; set; }
        internal DateTime CheckedAtUtc { get; set; }

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
            var d = new UserDiagnostic(identity) { CheckedAtUtc = now };
            DirectoryUser user;
            try
            {
                user = await _directory.ReadUserAsync(identity, ct).ConfigureAwait(false);
            }
            catch (TssrException e) when (e.Error.ErrorId == "DirectoryUserNotFound")
            {
                d.Problems = new ValueList<LogonProblem>(new[] { LogonProblem.NotFound });
                d.Explanation = new ValueList<string>(new[] { Text.Format("Diag_NotFound", identity, _directory.Session.BaseDn) });
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
            d.LockoutTimeUtc = user.LockoutTimeUtc;
            d.LockoutEndUtc = user.LockoutEndUtc;
            d.AccountExpirationDateUtc = user.AccountExpirationDateUtc;
            d.AccountExpired = user.AccountExpirationDateUtc.HasValue && user.AccountExpirationDateUtc.Value <= now;
            d.MustChangePassword = user.MustChangePassword;
            d.PasswordNeverExpires = user.PasswordNeverExpires;
            d.PasswordLastSetUtc = user.PasswordLastSetUtc;
            d.PasswordExpiresUtc = user.PasswordExpiresUtc;
            d.PasswordExpired = !user.MustChangePassword && user.PasswordExpired;
            d.LastBadPasswordAttemptUtc = user.LastBadPasswordAttemptUtc;
            d.BadLogonCount = user.BadLogonCount;
            d.BadLogonCountResetUtc = user.BadLogonCountResetUtc;
            d.LockoutThreshold = policy.LockoutThreshold;
            d.MinimumPasswordLength = policy.MinLength;
            d.PolicyReadable = policy.Readable;
            d.LogonHoursRestricted = user.LogonHoursRestricted;
            d.LogonHoursAllowNow = AccountState.LogonHoursAllow(user.LogonHours, now);
            d.LogonWorkstations = string.IsNullOrWhiteSpace(user.LogonWorkstations) ? null : user.LogonWorkstations;
            d.DirectGroupCount = user.MemberOf.Count;
            d.LastLogonDateUtc = user.LastLogonDateUtc;
            d.PolicySource = policy.Source;
            var token = await _directory.Session.ReadAsync(user.DistinguishedName, new[] { "tokenGroups" }, ct).ConfigureAwait(false);
            var tokenGroups = token?.Attributes["tokenGroups"];
            d.GroupCount = tokenGroups != null ? tokenGroups.Count : user.MemberOf.Count + 1;

            var problems = new List<LogonProblem>();
            var text = new List<string>();
            if (!d.Enabled) { problems.Add(LogonProblem.Disabled); text.Add(Text.Format("Diag_Disabled", d.SamAccountName)); }
            if (d.LockedOut)
            {
                problems.Add(LogonProblem.LockedOut);
                text.Add(d.LockoutEnd.HasValue
                    ? Text.Format("Diag_LockedUntil", Local(d.LockoutTimeUtc), Local(d.LockoutEndUtc), d.SamAccountName)
                    : Text.Format("Diag_LockedForever", Local(d.LockoutTimeUtc), d.SamAccountName));
            }
            if (d.AccountExpired) { problems.Add(LogonProblem.AccountExpired); text.Add(Text.Format("Diag_AccountExpired", Local(d.AccountExpirationDateUtc), d.SamAccountName)); }
            if (d.MustChangePassword) { problems.Add(LogonProblem.MustChangePassword); text.Add(Text.Format("Diag_MustChange", d.SamAccountName)); }
            if (d.PasswordExpired) { problems.Add(LogonProblem.PasswordExpired); text.Add(Text.Format("Diag_PasswordExpired", Local(d.PasswordExpiresUtc), d.SamAccountName)); }
            if (!d.LogonHoursAllowNow) { problems.Add(LogonProblem.OutsideLogonHours); text.Add(Text.Format("Diag_LogonHours", d.SamAccountName)); }
            if (d.LogonWorkstations != null) { problems.Add(LogonProblem.WorkstationRestricted); text.Add(Text.Format("Diag_Workstations", d.LogonWorkstations, d.SamAccountName)); }
            if (!d.LockedOut && d.LockoutThreshold > 0 && d.BadLogonCount > 0)
            {
                problems.Add(LogonProblem.NearLockout);
                text.Add(d.BadLogonCountReset.HasValue
                    ? Text.Format("Diag_BadPasswordsUntil", d.BadLogonCount, d.LockoutThreshold, Local(d.LastBadPasswordAttemptUtc), Local(d.BadLogonCountResetUtc), d.SamAccountName)
                    : Text.Format("Diag_BadPasswords", d.BadLogonCount, d.LockoutThreshold, Local(d.LastBadPasswordAttemptUtc), d.SamAccountName));
            }
            else if (d.LockedOut && d.LastBadPasswordAttempt.HasValue)
            {
                text.Add(Text.Format("Diag_LastBadPassword", Local(d.LastBadPasswordAttemptUtc)));
            }
            if (!d.PolicyReadable)
            {
                // The DC still applies the PSO; only its settings are hidden from this account.
                text.Add(Text.Format(policy.FineGrained ? "Diag_PsoUnreadable" : "Diag_PolicyUnreadable", policy.Source));
                if (!d.LockedOut && d.BadLogonCount > 0)
                    text.Add(Text.Format("Diag_BadPasswordsThresholdUnknown", d.BadLogonCount, Local(d.LastBadPasswordAttemptUtc)));
            }
            if (problems.Count == 0 || problems.All(p => p == LogonProblem.NearLockout))
                text.Insert(0, Text.Format("Diag_Healthy", d.GroupCount));
            d.Problems = new ValueList<LogonProblem>(problems);
            d.Explanation = new ValueList<string>(text);
            return d;
        }

        private static string Local(DateTime? utc) => LocalTime.Text(utc);
    }
}
