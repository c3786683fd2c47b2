using System;
using System.Collections.Generic;
using System.DirectoryServices.Protocols;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Directory
{
    /// <summary>What Search-TssrAccount looks for.</summary>
    public enum AccountSearchCriterion
    {
        LockedOut,
        Disabled,
        Expired,
        PasswordExpired,
        PasswordNeverExpires,
        Inactive,
    }

    /// <summary>One account Search-TssrAccount found, with the fact that made it match.</summary>
    public sealed class AccountSearchResult
    {
        internal AccountSearchResult(DirectoryUser user, AccountSearchCriterion criterion,
            int? inactiveDays, int? lastLogonLagDays, string? note)
        {
            User = user;
            Criterion = criterion;
            InactiveDays = inactiveDays;
            LastLogonLagDays = lastLogonLagDays;
            Note = note;
        }

        public AccountSearchCriterion Criterion { get; }
        public string SamAccountName => User.SamAccountName;
        public string Name => User.Name;
        public bool Enabled => User.Enabled;
        public bool LockedOut => User.LockedOut;
        public DateTime? LockoutTime => User.LockoutTime;
        /// <summary>When the lockout ends by itself; null when locked until an administrator unlocks (or not locked).</summary>
        public DateTime? LockoutEnd => User.LockoutEnd;
        public DateTime? AccountExpirationDate => User.AccountExpirationDate;
        public DateTime? PasswordLastSet => User.PasswordLastSet;
        /// <summary>The DC's computed expiry date when offered, else pwdLastSet + the effective maximum age (local time, as every date here).</summary>
        public DateTime? PasswordExpires => User.PasswordExpires;
        /// <summary>The bad-password count the DC applies now (after the observation window), and when it falls back to 0.</summary>
        public int BadLogonCount => User.BadLogonCount;
        public DateTime? BadLogonCountReset => User.BadLogonCountReset;
        public bool PasswordNeverExpires => User.PasswordNeverExpires;
        /// <summary>From lastLogonTimestamp, which the DCs update only when it is older than msDS-LogonTimeSyncInterval (up to 14 days by default, randomised).</summary>
        public DateTime? LastLogonDate => User.LastLogonDate;
        /// <summary>Whole days since LastLogonDate (or since creation for an account that never logged on); -Inactive only.</summary>
        public int? InactiveDays { get; }
        /// <summary>How many days LastLogonDate may lag behind the real last logon (msDS-LogonTimeSyncInterval); -Inactive only.</summary>
        public int? LastLogonLagDays { get; }
        /// <summary>A sentence about the accuracy of the answer (e.g. the lastLogonTimestamp lag).</summary>
        public string? Note { get; }
        public string DistinguishedName => User.DistinguishedName;
        public DirectoryUser User { get; }

        public override string ToString() => DistinguishedName;
    }

    /// <summary>Search-TssrAccount: server-side filters where AD's data allow it, then the rules of <see cref="AccountState"/> on each candidate.</summary>
    public sealed class AccountSearch
    {
        private static readonly Localizer Text = DirectoryText.Strings;
        private const string BitAnd = "1.2.840.113556.1.4.803";
        /// <summary>msDS-LogonTimeSyncInterval when unset: 14 days (and the update happens up to 5 days randomly before it).</summary>
        public const int DefaultLogonTimeSyncDays = 14;

        private readonly UserDirectory _directory;

        public AccountSearch(UserDirectory directory)
        {
            _directory = directory;
        }

        /// <summary>The LDAP filter that narrows the candidates for a criterion (the final verdict is per entry).</summary>
        public static string CandidateFilter(AccountSearchCriterion criterion, DateTime nowUtc, TimeSpan inactive)
        {
            var now = nowUtc.ToFileTimeUtc().ToString(CultureInfo.InvariantCulture);
            string specific;
            switch (criterion)
            {
                case AccountSearchCriterion.LockedOut: specific = "(lockoutTime>=1)"; break;
                case AccountSearchCriterion.Disabled: specific = "(userAccountControl:" + BitAnd + ":=2)"; break;
                case AccountSearchCriterion.Expired: specific = "(&(accountExpires>=1)(accountExpires<=" + now + "))"; break;
                case AccountSearchCriterion.PasswordNeverExpires: specific = "(userAccountControl:" + BitAnd + ":=65536)"; break;
                case AccountSearchCriterion.PasswordExpired: specific = "(!(userAccountControl:" + BitAnd + ":=65536))"; break;
                case AccountSearchCriterion.Inactive:
                    var cutoff = nowUtc - inactive;
                    var ft = cutoff.ToFileTimeUtc().ToString(CultureInfo.InvariantCulture);
                    var gt = cutoff.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + ".0Z";
                    specific = "(|(lastLogonTimestamp<=" + ft + ")(&(!(lastLogonTimestamp=*))(whenCreated<=" + gt + ")))";
                    break;
                default: throw new ArgumentOutOfRangeException(nameof(criterion));
            }
            return "(&" + UserDirectory.UserClassFilter + specific + ")";
        }

        public async Task SearchAsync(AccountSearchCriterion criterion, TimeSpan inactive, string? searchBase, DirectorySearchScope scope, int resultSetSize, IEngineSink sink, CancellationToken ct)
        {
            if (criterion == AccountSearchCriterion.Inactive && inactive <= TimeSpan.Zero)
                throw new TssrException("DirectoryInactiveSpanInvalid", TssrErrorCategory.InvalidArgument, inactive,
                    Text.Format("Error_InactiveSpan", inactive), Text.Get("Action_InactiveSpan"));
            var session = _directory.Session;
            var now = DateTime.UtcNow;
            var filter = CandidateFilter(criterion, now, inactive);
            var baseDn = string.IsNullOrWhiteSpace(searchBase) ? session.BaseDn : searchBase!;
            var domainEntry = await session.ReadAsync(session.BaseDn, PasswordPolicy.DomainAttributes, ct).ConfigureAwait(false);
            int? lagDays = null;
            string? note = null;
            if (criterion == AccountSearchCriterion.Inactive)
            {
                var configured = domainEntry == null ? null : LdapValues.Long(domainEntry, "msDS-LogonTimeSyncInterval");
                lagDays = configured.HasValue && configured.Value > 0 ? (int)configured.Value : DefaultLogonTimeSyncDays;
                note = Text.Format("Note_LastLogonLag", lagDays.Value);
                sink.Verbose(note);
            }

            // Candidates are collected first (a page is small), then judged: judging may need the
            // PSO of an account, and the session serves one request at a time.
            var candidates = new List<DirectoryUser>();
            await session.SearchAsync(baseDn, filter, (SearchScope)(int)scope, DirectoryUser.Attributes, e => candidates.Add(new DirectoryUser(e)), ct).ConfigureAwait(false);
            sink.Verbose(Text.Format("Verbose_Found", candidates.Count, baseDn, filter));
            var returned = 0;
            foreach (var user in candidates)
            {
                ct.ThrowIfCancellationRequested();
                user.Judge(await _directory.Policies.ForAsync(user, ct).ConfigureAwait(false), now);
                int? inactiveDays = null;
                bool match;
                switch (criterion)
                {
                    case AccountSearchCriterion.LockedOut:
                        match = user.LockedOut;
                        break;
                    case AccountSearchCriterion.PasswordExpired:
                        match = user.PasswordExpired;
                        break;
                    case AccountSearchCriterion.Inactive:
                        var since = user.LastLogonDateUtc ?? user.WhenCreatedUtc;
                        inactiveDays = since.HasValue ? (int)Math.Floor((now - since.Value).TotalDays) : (int?)null;
                        match = true;
                        break;
                    default:
                        match = true;
                        break;
                }
                if (!match) continue;
                sink.Output(new AccountSearchResult(user, criterion, inactiveDays, lagDays, note));
                if (resultSetSize > 0 && ++returned >= resultSetSize) break;
            }
        }
    }
}
