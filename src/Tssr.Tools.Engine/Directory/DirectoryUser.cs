using System;
using System.DirectoryServices.Protocols;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Directory
{
    /// <summary>userAccountControl and msDS-User-Account-Control-Computed bits the module reads.</summary>
    [Flags]
    public enum AccountControl
    {
        None = 0,
        AccountDisabled = 0x2,
        LockedOut = 0x10,
        PasswordNotRequired = 0x20,
        NormalAccount = 0x200,
        DontExpirePassword = 0x10000,
        PasswordExpired = 0x800000,
    }

    /// <summary>A user account as the DC returned it (property names follow RSAT's Get-ADUser).</summary>
    public sealed class DirectoryUser
    {
        internal static readonly string[] Attributes =
        {
            "sAMAccountName", "userPrincipalName", "cn", "name", "displayName", "givenName", "sn", "description", "mail",
            "department", "title", "company", "physicalDeliveryOfficeName", "telephoneNumber", "objectGUID", "objectSid",
            "userAccountControl", "msDS-User-Account-Control-Computed", "pwdLastSet", "accountExpires", "lastLogonTimestamp",
            "badPasswordTime", "badPwdCount", "lockoutTime", "whenCreated", "whenChanged", "memberOf", "logonHours", "userWorkstations",
            "msDS-ResultantPSO", "msDS-UserPasswordExpiryTimeComputed",
        };

        internal DirectoryUser(SearchResultEntry e)
        {
            DistinguishedName = e.DistinguishedName;
            SamAccountName = LdapValues.String(e, "sAMAccountName") ?? string.Empty;
            UserPrincipalName = LdapValues.String(e, "userPrincipalName");
            Name = LdapValues.String(e, "name") ?? LdapValues.String(e, "cn") ?? string.Empty;
            DisplayName = LdapValues.String(e, "displayName");
            GivenName = LdapValues.String(e, "givenName");
            Surname = LdapValues.String(e, "sn");
            Description = LdapValues.String(e, "description");
            EmailAddress = LdapValues.String(e, "mail");
            Department = LdapValues.String(e, "department");
            Title = LdapValues.String(e, "title");
            Company = LdapValues.String(e, "company");
            Office = LdapValues.String(e, "physicalDeliveryOfficeName");
            OfficePhone = LdapValues.String(e, "telephoneNumber");
            ObjectGuid = LdapValues.Guid(e, "objectGUID") ?? Guid.Empty;
            var sid = LdapValues.Bytes(e, "objectSid");
            Sid = sid == null ? string.Empty : SecurityIdentifierCodec.ToText(sid);
            UserAccountControl = (int)(LdapValues.Long(e, "userAccountControl") ?? 0);
            var computed = LdapValues.Long(e, "msDS-User-Account-Control-Computed");
            ComputedAccountControl = computed.HasValue ? (int?)computed.Value : null;
            Enabled = (UserAccountControl & (int)AccountControl.AccountDisabled) == 0;
            PasswordNeverExpires = (UserAccountControl & (int)AccountControl.DontExpirePassword) != 0;
            var pwdLastSet = LdapValues.Long(e, "pwdLastSet");
            // pwdLastSet = 0 asks for a change at next logon, but the DC ignores it when the
            // password never expires (DONT_EXPIRE_PASSWORD): its computed PASSWORD_EXPIRED bit is
            // the truth when offered, the flag otherwise.
            MustChangePassword = pwdLastSet == 0 && (ComputedAccountControl.HasValue
                ? (ComputedAccountControl.Value & (int)AccountControl.PasswordExpired) != 0
                : !PasswordNeverExpires);
            PasswordLastSetUtc = LdapValues.FromFileTime(pwdLastSet);
            AccountExpirationDateUtc = LdapValues.FileTime(e, "accountExpires");
            LastLogonDateUtc = LdapValues.FileTime(e, "lastLogonTimestamp");
            LastBadPasswordAttemptUtc = LdapValues.FileTime(e, "badPasswordTime");
            StoredBadLogonCount = (int)(LdapValues.Long(e, "badPwdCount") ?? 0);
            BadLogonCount = StoredBadLogonCount;
            LockoutTimeUtc = LdapValues.FileTime(e, "lockoutTime");
            // The DC's own expiry date when it offers one (0 while the user must change, the
            // maximum when the password never expires: both read as "no date").
            ComputedPasswordExpiresUtc = LdapValues.FileTime(e, "msDS-UserPasswordExpiryTimeComputed");
            HasComputedPasswordExpiry = LdapValues.Long(e, "msDS-UserPasswordExpiryTimeComputed").HasValue;
            PasswordExpiresUtc = ComputedPasswordExpiresUtc;
            WhenCreatedUtc = LdapValues.GeneralizedTime(e, "whenCreated");
            WhenChangedUtc = LdapValues.GeneralizedTime(e, "whenChanged");
            MemberOf = new ValueList<string>(LdapValues.Strings(e, "memberOf"));
            var hours = LdapValues.Bytes(e, "logonHours");
            LogonHoursRestricted = hours != null && Array.Exists(hours, b => b != 0xFF);
            LogonWorkstations = LdapValues.String(e, "userWorkstations");
            LogonHours = hours;
            ResultantPso = LdapValues.String(e, "msDS-ResultantPSO");
            // The computed attribute is the DC's own verdict (lockoutTime + the effective lockout
            // duration); a stale lockoutTime alone never makes an account "locked".
            LockedOut = ComputedAccountControl.HasValue && (ComputedAccountControl.Value & (int)AccountControl.LockedOut) != 0;
            PasswordExpired = ComputedAccountControl.HasValue && (ComputedAccountControl.Value & (int)AccountControl.PasswordExpired) != 0;
        }

        public string SamAccountName { get; }
        public string? UserPrincipalName { get; }
        public string Name { get; }
        public string? DisplayName { get; }
        public string? GivenName { get; }
        public string? Surname { get; }
        public string? Description { get; }
        public string? EmailAddress { get; }
        public string? Department { get; }
        public string? Title { get; }
        public string? Company { get; }
        public string? Office { get; }
        public string? OfficePhone { get; }
        public bool Enabled { get; }
        public bool LockedOut { get; internal set; }
        /// <summary>Every date property is in local time, as RSAT gives it (the directory stores UTC).</summary>
        public DateTime? LockoutTime => LocalTime.Of(LockoutTimeUtc);
        /// <summary>When the lockout ends by itself; null when not locked, or locked until an administrator unlocks.</summary>
        public DateTime? LockoutEnd => LocalTime.Of(LockoutEndUtc);
        public bool PasswordExpired { get; internal set; }
        public bool MustChangePassword { get; }
        public bool PasswordNeverExpires { get; }
        public DateTime? PasswordLastSet => LocalTime.Of(PasswordLastSetUtc);
        /// <summary>When the password expires: the DC's msDS-UserPasswordExpiryTimeComputed, else pwdLastSet + the effective maximum age; null when it never expires.</summary>
        public DateTime? PasswordExpires => LocalTime.Of(PasswordExpiresUtc);
        public DateTime? AccountExpirationDate => LocalTime.Of(AccountExpirationDateUtc);
        /// <summary>From lastLogonTimestamp: replicated, but up to about 14 days behind (see Search-TssrAccount).</summary>
        public DateTime? LastLogonDate => LocalTime.Of(LastLogonDateUtc);
        public DateTime? LastBadPasswordAttempt => LocalTime.Of(LastBadPasswordAttemptUtc);
        /// <summary>The count the DC applies now: badPwdCount, or 0 once lockOutObservationWindow has passed since the last wrong password.</summary>
        public int BadLogonCount { get; private set; }
        /// <summary>When BadLogonCount falls back to 0 if no wrong password comes before; null when it is 0.</summary>
        public DateTime? BadLogonCountReset => LocalTime.Of(BadLogonCountResetUtc);
        public bool LogonHoursRestricted { get; }
        public string? LogonWorkstations { get; }
        internal byte[]? LogonHours { get; }
        /// <summary>The fine-grained password policy (PSO) that applies, if any.</summary>
        public string? ResultantPso { get; }
        /// <summary>The direct groups (DNs); prints as "a, b" in CSV.</summary>
        public ValueList<string> MemberOf { get; }
        public DateTime? WhenCreated => LocalTime.Of(WhenCreatedUtc);
        public DateTime? WhenChanged => LocalTime.Of(WhenChangedUtc);
        public int UserAccountControl { get; }
        public int? ComputedAccountControl { get; }
        public Guid ObjectGuid { get; }
        public string Sid { get; }
        public string DistinguishedName { get; }

        internal DateTime? LockoutTimeUtc { get; }
        internal DateTime? LockoutEndUtc { get; private set; }
        internal DateTime? PasswordLastSetUtc { get; }
        internal DateTime? PasswordExpiresUtc { get; private set; }
        internal DateTime? ComputedPasswordExpiresUtc { get; }
        internal bool HasComputedPasswordExpiry { get; }
        internal DateTime? AccountExpirationDateUtc { get; }
        internal DateTime? LastLogonDateUtc { get; }
        internal DateTime? LastBadPasswordAttemptUtc { get; }
        internal DateTime? BadLogonCountResetUtc { get; private set; }
        internal DateTime? WhenCreatedUtc { get; }
        internal DateTime? WhenChangedUtc { get; }
        /// <summary>badPwdCount as stored, before the observation window is applied.</summary>
        internal int StoredBadLogonCount { get; }

        /// <summary>
        /// The facts that depend on the effective policy (PSO or domain): the lock state and its end
        /// where the DC sends no computed bits, the expiry date where it sends no computed date,
        /// and the bad-password count after the observation window.
        /// </summary>
        internal void Judge(PasswordPolicy? policy, DateTime nowUtc)
        {
            if (!ComputedAccountControl.HasValue)
                LockedOut = AccountState.IsLockedOut(LockoutTimeUtc, policy?.LockoutDuration, nowUtc);
            LockoutEndUtc = LockedOut ? AccountState.LockoutEnd(LockoutTimeUtc, policy?.LockoutDuration) : null;
            if (!HasComputedPasswordExpiry)
                PasswordExpiresUtc = AccountState.PasswordExpires(MustChangePassword ? null : PasswordLastSetUtc, PasswordNeverExpires, policy?.MaxAge);
            if (!ComputedAccountControl.HasValue)
                PasswordExpired = MustChangePassword || (PasswordExpiresUtc.HasValue && PasswordExpiresUtc.Value <= nowUtc);
            BadLogonCount = AccountState.EffectiveBadLogonCount(StoredBadLogonCount, LastBadPasswordAttemptUtc, policy?.ObservationWindow, nowUtc);
            BadLogonCountResetUtc = BadLogonCount > 0 ? AccountState.BadLogonCountReset(StoredBadLogonCount, LastBadPasswordAttemptUtc, policy?.ObservationWindow) : null;
        }

        public override string ToString() => DistinguishedName;
    }

    /// <summary>UTC instants from the directory shown in the machine's local time, as RSAT does.</summary>
    internal static class LocalTime
    {
        public static DateTime? Of(DateTime? utc) => utc.HasValue ? DateTime.SpecifyKind(utc.Value, DateTimeKind.Utc).ToLocalTime() : (DateTime?)null;

        /// <summary>A date in the explanations: local time, in the current culture's short format.</summary>
        public static string Text(DateTime? utc) => utc.HasValue ? Of(utc)!.Value.ToString("g", System.Globalization.CultureInfo.CurrentCulture) : "?";
    }
}
