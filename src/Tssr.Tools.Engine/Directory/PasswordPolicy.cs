using System;
using System.Collections.Generic;
using System.DirectoryServices.Protocols;
using System.Runtime.InteropServices;
using System.Security;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Directory
{
    /// <summary>The password and lockout policy that applies to an account: the domain's, or a fine-grained one (PSO).</summary>
    public sealed class PasswordPolicy
    {
        internal static readonly string[] DomainAttributes =
            { "minPwdLength", "pwdProperties", "pwdHistoryLength", "maxPwdAge", "minPwdAge", "lockoutThreshold", "lockoutDuration", "lockOutObservationWindow", "msDS-LogonTimeSyncInterval" };

        internal static readonly string[] PsoAttributes =
            { "msDS-MinimumPasswordLength", "msDS-PasswordComplexityEnabled", "msDS-PasswordHistoryLength", "msDS-MaximumPasswordAge", "msDS-MinimumPasswordAge", "msDS-LockoutThreshold", "msDS-LockoutDuration", "msDS-LockoutObservationWindow" };

        public PasswordPolicy(string source, bool fineGrained, int minLength, bool complexity, int historyLength, TimeSpan? maxAge, int lockoutThreshold, TimeSpan? lockoutDuration, TimeSpan? observationWindow = null)
            : this(source, fineGrained, true, minLength, complexity, historyLength, maxAge, lockoutThreshold, lockoutDuration, observationWindow)
        {
        }

        private PasswordPolicy(string source, bool fineGrained, bool readable, int? minLength, bool? complexity, int? historyLength, TimeSpan? maxAge, int? lockoutThreshold, TimeSpan? lockoutDuration, TimeSpan? observationWindow)
        {
            Source = source;
            FineGrained = fineGrained;
            Readable = readable;
            MinLength = minLength;
            ComplexityEnabled = complexity;
            HistoryLength = historyLength;
            MaxAge = maxAge;
            LockoutThreshold = lockoutThreshold;
            LockoutDuration = lockoutDuration;
            ObservationWindow = observationWindow;
        }

        /// <summary>
        /// A policy that applies but whose settings this account may not read (by default only
        /// Domain Admins read a PSO, while every user sees msDS-ResultantPSO): every setting is null,
        /// never a guessed 0.
        /// </summary>
        internal static PasswordPolicy Unreadable(string source, bool fineGrained)
            => new PasswordPolicy(source, fineGrained, false, null, null, null, null, null, null, null);

        /// <summary>The DN the policy was read from (the domain head or the PSO).</summary>
        public string Source { get; }
        public bool FineGrained { get; }
        /// <summary>False when the policy applies but its settings could not be read with this account: the settings are then null.</summary>
        public bool Readable { get; }
        /// <summary>Null when unreadable.</summary>
        public int? MinLength { get; }
        public bool? ComplexityEnabled { get; }
        public int? HistoryLength { get; }
        /// <summary>Null when passwords never expire by policy, or when the policy is unreadable.</summary>
        public TimeSpan? MaxAge { get; }
        /// <summary>0: no lockout. Null when unreadable.</summary>
        public int? LockoutThreshold { get; }
        /// <summary>TimeSpan.MaxValue: locked until an administrator unlocks.</summary>
        public TimeSpan? LockoutDuration { get; }
        /// <summary>lockOutObservationWindow: once this long has passed since the last wrong password, the DC counts from 0 again.</summary>
        public TimeSpan? ObservationWindow { get; }

        internal static PasswordPolicy FromDomain(SearchResultEntry e)
        {
            // The domain head is readable by every authenticated user; an attribute missing all the
            // same means this account may not read it: the policy is then unreadable, not zero.
            if (!HasAll(e, "minPwdLength", "pwdProperties", "lockoutThreshold")) return Unreadable(e.DistinguishedName, false);
            var maxAge = LdapValues.Interval(e, "maxPwdAge");
            return new PasswordPolicy(e.DistinguishedName, false,
                (int)(LdapValues.Long(e, "minPwdLength") ?? 0),
                ((LdapValues.Long(e, "pwdProperties") ?? 0) & 1) != 0,
                (int)(LdapValues.Long(e, "pwdHistoryLength") ?? 0),
                maxAge == TimeSpan.Zero || maxAge == TimeSpan.MaxValue ? null : maxAge,
                (int)(LdapValues.Long(e, "lockoutThreshold") ?? 0),
                LdapValues.Interval(e, "lockoutDuration"),
                LdapValues.Interval(e, "lockOutObservationWindow"));
        }

        internal static PasswordPolicy FromPso(SearchResultEntry e)
        {
            // Every one of these is mandatory in the schema (mustContain of msDS-PasswordSettings):
            // an entry without them was returned to an account that may not read its settings.
            if (!HasAll(e, "msDS-MinimumPasswordLength", "msDS-PasswordComplexityEnabled", "msDS-LockoutThreshold")) return Unreadable(e.DistinguishedName, true);
            var maxAge = LdapValues.Interval(e, "msDS-MaximumPasswordAge");
            return new PasswordPolicy(e.DistinguishedName, true,
                (int)(LdapValues.Long(e, "msDS-MinimumPasswordLength") ?? 0),
                string.Equals(LdapValues.String(e, "msDS-PasswordComplexityEnabled"), "TRUE", StringComparison.OrdinalIgnoreCase),
                (int)(LdapValues.Long(e, "msDS-PasswordHistoryLength") ?? 0),
                maxAge == TimeSpan.Zero || maxAge == TimeSpan.MaxValue ? null : maxAge,
                (int)(LdapValues.Long(e, "msDS-LockoutThreshold") ?? 0),
                LdapValues.Interval(e, "msDS-LockoutDuration"),
                LdapValues.Interval(e, "msDS-LockoutObservationWindow"));
        }

        private static bool HasAll(SearchResultEntry e, params string[] attributes)
        {
            foreach (var a in attributes)
            {
                var values = e.Attributes[a];
                if (values == null || values.Count == 0) return false;
            }
            return true;
        }

        /// <summary>The effective policy of the account at <paramref name="userDn"/> (its PSO if any, else the domain's).</summary>
        internal static async Task<PasswordPolicy> ForUserAsync(DirectorySession session, string? userDn, CancellationToken ct)
        {
            if (userDn != null)
            {
                var user = await session.ReadAsync(userDn, new[] { "msDS-ResultantPSO" }, ct).ConfigureAwait(false);
                var pso = user == null ? null : LdapValues.String(user, "msDS-ResultantPSO");
                if (!string.IsNullOrEmpty(pso))
                {
                    // The PSO applies: never fall back to the domain policy when it cannot be read.
                    var psoEntry = await ReadPsoAsync(session, pso!, ct).ConfigureAwait(false);
                    return psoEntry == null ? Unreadable(pso!, true) : FromPso(psoEntry);
                }
            }
            var domain = await session.ReadAsync(session.BaseDn, DomainAttributes, ct).ConfigureAwait(false);
            return domain == null ? Unreadable(session.BaseDn, false) : FromDomain(domain);
        }

        /// <summary>The PSO's entry, or null when this account may not see it (no such object, insufficient rights).</summary>
        internal static async Task<SearchResultEntry?> ReadPsoAsync(DirectorySession session, string dn, CancellationToken ct)
        {
            try
            {
                return await session.ReadAsync(dn, PsoAttributes, ct).ConfigureAwait(false);
            }
            catch (TssrException e) when (e.Error.ErrorId == "LdapAccessDenied")
            {
                return null;
            }
        }
    }

    /// <summary>
    /// The policies of one command: the domain's read once, each PSO read once. Preloading reads
    /// every PSO in one search, so a streaming search can judge each user without another request.
    /// </summary>
    internal sealed class PolicyBook
    {
        private readonly DirectorySession _session;
        private readonly Dictionary<string, PasswordPolicy?> _psos = new Dictionary<string, PasswordPolicy?>(StringComparer.OrdinalIgnoreCase);
        private PasswordPolicy? _domain;
        private bool _domainRead;
        private bool _preloaded;

        public PolicyBook(DirectorySession session)
        {
            _session = session;
        }

        public async Task<PasswordPolicy?> DomainAsync(CancellationToken ct)
        {
            if (_domainRead) return _domain;
            var entry = await _session.ReadAsync(_session.BaseDn, PasswordPolicy.DomainAttributes, ct).ConfigureAwait(false);
            _domain = entry == null ? null : PasswordPolicy.FromDomain(entry);
            _domainRead = true;
            return _domain;
        }

        /// <summary>The domain policy and every PSO the session may read (an unreadable container leaves the per-user reads).</summary>
        public async Task PreloadAsync(CancellationToken ct)
        {
            if (_preloaded) return;
            await DomainAsync(ct).ConfigureAwait(false);
            try
            {
                await _session.SearchAsync("CN=Password Settings Container,CN=System," + _session.BaseDn, "(objectClass=msDS-PasswordSettings)", SearchScope.OneLevel,
                    PasswordPolicy.PsoAttributes, e => _psos[e.DistinguishedName] = PasswordPolicy.FromPso(e), ct).ConfigureAwait(false);
            }
            catch (TssrException)
            {
                // No PSO container, or not readable with this account: the domain policy stands.
            }
            _preloaded = true;
        }

        /// <summary>
        /// The policy already known for a user (after <see cref="PreloadAsync"/>): its PSO, else the
        /// domain's. A PSO the preload could not read is unreadable, never the domain's in its place.
        /// </summary>
        public PasswordPolicy? Known(DirectoryUser user)
        {
            var pso = user.ResultantPso;
            if (string.IsNullOrEmpty(pso)) return _domain;
            if (_psos.TryGetValue(pso!, out var p) && p != null) return p;
            return PasswordPolicy.Unreadable(pso!, true);
        }

        public async Task<PasswordPolicy?> ForAsync(DirectoryUser user, CancellationToken ct)
        {
            var pso = user.ResultantPso;
            if (!string.IsNullOrEmpty(pso) && !_psos.ContainsKey(pso!))
            {
                var entry = await PasswordPolicy.ReadPsoAsync(_session, pso!, ct).ConfigureAwait(false);
                _psos[pso!] = entry == null ? PasswordPolicy.Unreadable(pso!, true) : PasswordPolicy.FromPso(entry);
            }
            await DomainAsync(ct).ConfigureAwait(false);
            return Known(user);
        }
    }

    /// <summary>Random passwords that satisfy a policy, and the unicodePwd encoding of a SecureString.</summary>
    public static class PasswordGenerator
    {
        private const string Upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
        private const string Lower = "abcdefghijkmnopqrstuvwxyz";
        private const string Digits = "23456789";
        private const string Symbols = "!#$%*+-=?@_";
        public const int DefaultLength = 16;
        public const int UnreadablePolicyLength = 24;

        /// <summary>
        /// A password of max(16, policy minimum) characters (24 when the policy cannot be read) from a CSPRNG, holding the four classes
        /// AD's complexity rule counts, and none of the account's name tokens (also part of the rule).
        /// </summary>
        public static SecureString Generate(PasswordPolicy policy, params string?[] nameTokens)
        {
            // A policy this account may not read (a PSO) gets UnreadablePolicyLength characters: long
            // enough for the strict PSOs met in practice, where 16 would likely be refused.
            var length = policy.Readable ? Math.Max(DefaultLength, Math.Min(policy.MinLength ?? 0, 256)) : UnreadablePolicyLength;
            var all = Upper + Lower + Digits + Symbols;
            var chars = new char[length];
            try
            {
                while (true)
                {
                    chars[0] = Pick(Upper); chars[1] = Pick(Lower); chars[2] = Pick(Digits); chars[3] = Pick(Symbols);
                    for (var i = 4; i < length; i++) chars[i] = Pick(all);
                    for (var i = length - 1; i > 0; i--)
                    {
                        var j = RandomInt(i + 1);
                        var t = chars[i]; chars[i] = chars[j]; chars[j] = t;
                    }
                    if (!ContainsToken(chars, nameTokens)) break;
                }
                var secure = new SecureString();
                foreach (var c in chars) secure.AppendChar(c);
                secure.MakeReadOnly();
                return secure;
            }
            finally
            {
                Array.Clear(chars, 0, chars.Length);
            }
        }

        private static bool ContainsToken(char[] chars, string?[] tokens)
        {
            var text = new string(chars);
            foreach (var token in tokens)
                if (!string.IsNullOrEmpty(token) && token!.Length >= 3 && text.IndexOf(token, StringComparison.OrdinalIgnoreCase) >= 0) return true;
            return false;
        }

        private static char Pick(string set) => set[RandomInt(set.Length)];

        private static int RandomInt(int exclusiveMax)
        {
            var buffer = new byte[4];
            using (var rng = RandomNumberGenerator.Create())
            {
                // Rejection sampling: no modulo bias.
                var limit = uint.MaxValue - (uint.MaxValue % (uint)exclusiveMax);
                while (true)
                {
                    rng.GetBytes(buffer);
                    var v = BitConverter.ToUInt32(buffer, 0);
                    if (v < limit) return (int)(v % (uint)exclusiveMax);
                }
            }
        }

        /// <summary>
        /// The unicodePwd value: the password in double quotes, UTF-16LE. The caller clears the
        /// array as soon as the request is sent.
        /// </summary>
        internal static byte[] ToUnicodePwd(SecureString password)
        {
            var ptr = Marshal.SecureStringToGlobalAllocUnicode(password);
            try
            {
                var length = password.Length;
                var bytes = new byte[(length + 2) * 2];
                bytes[0] = (byte)'"';
                for (var i = 0; i < length; i++)
                {
                    var c = (char)Marshal.ReadInt16(ptr, i * 2);
                    bytes[2 + i * 2] = (byte)(c & 0xFF);
                    bytes[3 + i * 2] = (byte)(c >> 8);
                }
                bytes[bytes.Length - 2] = (byte)'"';
                return bytes;
            }
            finally
            {
                Marshal.ZeroFreeGlobalAllocUnicode(ptr);
            }
        }
    }
}
