using System;
using System.Linq;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Directory
{
    /// <summary>The rules of a password policy that a DC applies to a new password set by an administrator.</summary>
    public enum PasswordRule
    {
        /// <summary>Shorter than the policy's minimum length.</summary>
        Length,
        /// <summary>Fewer than 3 of the 5 character classes (upper, lower, digit, symbol, other letters).</summary>
        Complexity,
        /// <summary>Contains the sAMAccountName (part of the complexity rule).</summary>
        ContainsAccountName,
        /// <summary>Contains a 3+ character part of the display name: Active Directory's complexity rule (Samba does not apply it).</summary>
        ContainsDisplayName,
    }

    /// <summary>
    /// Which rule a password breaks, checked here as Active Directory defines them, so a refusal
    /// names the one rule that failed. The password is read, never kept nor echoed.
    /// </summary>
    public static class PasswordRules
    {
        private static readonly Localizer Text = DirectoryText.Strings;
        private static readonly char[] NameDelimiters = { ',', '.', '-', '_', '#', '\t', ' ' };

        /// <summary>
        /// The first rule broken, in the order a technician fixes them; null when none of these is.
        /// The display-name parts are checked only when <paramref name="displayName"/> is given:
        /// Active Directory applies that part of the rule, Samba does not, so a plan that must not
        /// refuse what the DC accepts leaves it out and a refusal already made names it last.
        /// </summary>
        public static PasswordRule? FirstBroken(char[] password, PasswordPolicy? policy, string? samAccountName, string? displayName)
        {
            // An unreadable policy (a PSO this account may not read) proves nothing: no rule is claimed.
            if (policy == null || !policy.Readable) return null;
            if (password.Length < policy.MinLength) return PasswordRule.Length;
            if (policy.ComplexityEnabled != true) return null;
            if (samAccountName != null && samAccountName.Length >= 3 && IndexOf(password, samAccountName) >= 0) return PasswordRule.ContainsAccountName;
            if (Classes(password) < 3) return PasswordRule.Complexity;
            if (displayName != null && ContainsDisplayNamePart(password, displayName)) return PasswordRule.ContainsDisplayName;
            return null;
        }

        /// <summary>The sentence naming a broken rule (for the plan of an import and the error of a reset).</summary>
        public static string Describe(PasswordRule rule, PasswordPolicy policy)
        {
            switch (rule)
            {
                case PasswordRule.Length: return Text.Format("Reason_PasswordShort", policy.MinLength);
                case PasswordRule.ContainsAccountName: return Text.Get("Reason_PasswordName");
                case PasswordRule.ContainsDisplayName: return Text.Get("Reason_PasswordDisplayName");
                default: return Text.Get("Reason_PasswordComplexity");
            }
        }

        internal static int Classes(char[] password)
        {
            var upper = password.Any(char.IsUpper);
            var lower = password.Any(char.IsLower);
            var digit = password.Any(char.IsDigit);
            var symbol = password.Any(c => !char.IsLetterOrDigit(c));
            var otherLetter = password.Any(c => char.IsLetter(c) && !char.IsUpper(c) && !char.IsLower(c));
            return (upper ? 1 : 0) + (lower ? 1 : 0) + (digit ? 1 : 0) + (symbol ? 1 : 0) + (otherLetter ? 1 : 0);
        }

        /// <summary>AD's rule: any display-name token of 3+ characters (split on , . - _ # tab space), case-insensitive.</summary>
        internal static bool ContainsDisplayNamePart(char[] password, string displayName)
            => displayName.Split(NameDelimiters, StringSplitOptions.RemoveEmptyEntries).Any(token => token.Length >= 3 && IndexOf(password, token) >= 0);

        /// <summary>A case-insensitive search in the characters themselves: no string copy of the password is made.</summary>
        private static int IndexOf(char[] text, string part)
        {
            for (var i = 0; i + part.Length <= text.Length; i++)
            {
                var j = 0;
                while (j < part.Length && char.ToUpperInvariant(text[i + j]) == char.ToUpperInvariant(part[j])) j++;
                if (j == part.Length) return i;
            }
            return -1;
        }
    }
}
