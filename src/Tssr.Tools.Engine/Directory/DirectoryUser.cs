using System;
using System.DirectoryServices.Protocols;

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
            "msDS-ResultantPSO",
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
            PasswordLastSet = LdapValues.FromFileTime(pwdLastSet);
            AccountExpirationDate = LdapValues.FileTime(e, "accountExpires");
            LastLogonDate = LdapValues.FileTime(e, "lastLogonTimestamp");
            LastBadPasswordAttempt = LdapValues.FileTime(e, "badPasswordTime");
            BadLogonCount = (int)(LdapValues.Long(e, "badPwdCount") ?? 0);
            LockoutTime = LdapValues.FileTime(e, "lockoutTime");
            WhenCreated = LdapValues.GeneralizedTime(e, "whenCreated");
            WhenChanged = LdapValues.GeneralizedTime(e, "whenChanged");
            MemberOf = LdapValues.Strings(e, "memberOf");
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
        public DateTime? LockoutTime { get; }
        public bool PasswordExpired { get; internal set; }
        public bool MustChangePassword { get; }
        public bool PasswordNeverExpires { get; }
        public DateTime? PasswordLastSet { get; }
        public DateTime? AccountExpirationDate { get; }
        /// <summary>From lastLogonTimestamp: replicated, but up to about 14 days behind (see Search-TssrAccount).</summary>
        public DateTime? LastLogonDate { get; }
        public DateTime? LastBadPasswordAttempt { get; }
        public int BadLogonCount { get; }
        public bool LogonHoursRestricted { get; }
        public string? LogonWorkstations { get; }
        internal byte[]? LogonHours { get; }
        /// <summary>The fine-grained password policy (PSO) that applies, if any.</summary>
        public string? ResultantPso { get; }
        public string[] MemberOf { get; }
        public DateTime? WhenCreated { get; }
        public DateTime? WhenChanged { get; }
        public int UserAccountControl { get; }
        public int? ComputedAccountControl { get; }
        public Guid ObjectGuid { get; }
        public string Sid { get; }
        public string DistinguishedName { get; }

        public override string ToString() => DistinguishedName;
    }
}
