using System;
using System.DirectoryServices.Protocols;
using System.Globalization;
using System.Text.RegularExpressions;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Directory
{
    /// <summary>
    /// Turns what the DC answers into errors a technician can act on. Active Directory (and Samba)
    /// put a Windows error code in the first eight hex digits of the diagnostic message
    /// ("0000052D: Constraint violation - ...") and, for failed binds, after "data " ("data 775").
    /// </summary>
    public static class DirectoryErrors
    {
        private static readonly Localizer Text = DirectoryText.Strings;
        private static readonly Regex LeadingCode = new Regex(@"^\s*([0-9A-Fa-f]{8})\s*:", RegexOptions.CultureInvariant);
        private static readonly Regex DataCode = new Regex(@"\bdata\s+([0-9A-Fa-f]{1,8})\b", RegexOptions.CultureInvariant);

        /// <summary>The Windows error code in a DC's diagnostic message, or null.</summary>
        public static int? ExtractCode(string? diagnostic)
        {
            if (string.IsNullOrEmpty(diagnostic)) return null;
            var m = DataCode.Match(diagnostic);
            if (m.Success) return int.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            m = LeadingCode.Match(diagnostic);
            if (m.Success) return int.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            return null;
        }

        /// <summary>A stable ErrorId, a category and a message key for a known AD code.</summary>
        public static (string ErrorId, TssrErrorCategory Category, string MessageKey)? Describe(int code)
        {
            switch (code)
            {
                case 0x52D: return ("LdapPasswordPolicyViolation", TssrErrorCategory.InvalidArgument, "Ad_52D");
                case 0x1F: return ("LdapPasswordWriteRefused", TssrErrorCategory.SecurityError, "Ad_1F");
                case 0x2081: return ("LdapSingleValueConstraint", TssrErrorCategory.InvalidArgument, "Ad_2081");
                case 0x2083: return ("LdapValueAlreadyExists", TssrErrorCategory.ResourceExists, "Ad_2083");
                case 0x2071: return ("LdapObjectAlreadyExists", TssrErrorCategory.ResourceExists, "Ad_2071");
                case 0x202F: return ("LdapConstraintViolation", TssrErrorCategory.InvalidArgument, "Ad_202F");
                case 0x2030: case 0x208D: return ("LdapObjectNotFound", TssrErrorCategory.ObjectNotFound, "Ad_2030");
                case 0x2035: return ("LdapUnwillingToPerform", TssrErrorCategory.InvalidOperation, "Ad_2035");
                case 0x2098: case 0x5: return ("LdapAccessDenied", TssrErrorCategory.PermissionDenied, "Ad_5");
                case 0x775: return ("DirectoryAccountLockedOut", TssrErrorCategory.AuthenticationError, "Ad_775");
                case 0x52E: return ("DirectoryInvalidCredentials", TssrErrorCategory.AuthenticationError, "Ad_52E");
                case 0x525: return ("DirectoryInvalidCredentials", TssrErrorCategory.AuthenticationError, "Ad_52E");
                case 0x533: return ("DirectoryAccountDisabled", TssrErrorCategory.AuthenticationError, "Ad_533");
                case 0x701: return ("DirectoryAccountExpired", TssrErrorCategory.AuthenticationError, "Ad_701");
                case 0x532: return ("DirectoryPasswordExpired", TssrErrorCategory.AuthenticationError, "Ad_532");
                case 0x773: return ("DirectoryPasswordMustChange", TssrErrorCategory.AuthenticationError, "Ad_773");
                case 0x530: return ("DirectoryLogonHoursRestriction", TssrErrorCategory.AuthenticationError, "Ad_530");
                case 0x531: return ("DirectoryWorkstationRestriction", TssrErrorCategory.AuthenticationError, "Ad_531");
                case 0x56: return ("LdapWrongCurrentPassword", TssrErrorCategory.AuthenticationError, "Ad_56");
                default: return null;
            }
        }

        /// <summary>
        /// The error for a failed operation on <paramref name="target"/>. The diagnostic text of the
        /// server is kept (it never holds a password: the module never sends one in a filter or DN).
        /// </summary>
        public static TssrError FromException(Exception e, object target, string operation)
        {
            string? diagnostic = null;
            ResultCode? result = null;
            switch (e)
            {
                case DirectoryOperationException op:
                    diagnostic = op.Response?.ErrorMessage;
                    result = op.Response?.ResultCode;
                    break;
                case LdapException ldap:
                    diagnostic = ldap.ServerErrorMessage;
                    result = (ResultCode)ldap.ErrorCode;
                    break;
                case TssrException t:
                    return t.Error;
            }
            return FromResult(result, diagnostic, target, operation, e);
        }

        internal static TssrError FromResult(ResultCode? result, string? diagnostic, object target, string operation, Exception? e = null)
        {
            var code = ExtractCode(diagnostic);
            var detail = string.IsNullOrEmpty(diagnostic) ? (e?.Message ?? result?.ToString() ?? string.Empty) : diagnostic!.Trim();
            if (code.HasValue && Describe(code.Value) is var known && known.HasValue)
            {
                var k = known.Value;
                return new TssrError(k.ErrorId, k.Category, target, Text.Format("Error_Operation", operation, target, Text.Get(k.MessageKey), detail),
                    Text.Get("Action_" + k.MessageKey), e);
            }
            switch (result)
            {
                case ResultCode.NoSuchObject:
                    return new TssrError("LdapObjectNotFound", TssrErrorCategory.ObjectNotFound, target, Text.Format("Error_Operation", operation, target, Text.Get("Ad_2030"), detail), Text.Get("Action_Ad_2030"), e);
                case ResultCode.EntryAlreadyExists:
                    return new TssrError("LdapObjectAlreadyExists", TssrErrorCategory.ResourceExists, target, Text.Format("Error_Operation", operation, target, Text.Get("Ad_2071"), detail), Text.Get("Action_Ad_2071"), e);
                case ResultCode.InsufficientAccessRights:
                    return new TssrError("LdapAccessDenied", TssrErrorCategory.PermissionDenied, target, Text.Format("Error_Operation", operation, target, Text.Get("Ad_5"), detail), Text.Get("Action_Ad_5"), e);
                case ResultCode.ConstraintViolation:
                    return new TssrError("LdapConstraintViolation", TssrErrorCategory.InvalidArgument, target, Text.Format("Error_Operation", operation, target, Text.Get("Ad_202F"), detail), Text.Get("Action_Ad_202F"), e);
                case ResultCode.StrongAuthRequired:
                case ResultCode.ConfidentialityRequired:
                    return new TssrError("DirectoryEncryptionRequired", TssrErrorCategory.SecurityError, target, Text.Format("Error_Operation", operation, target, Text.Get("Ad_StrongAuth"), detail), Text.Get("Action_Ad_StrongAuth"), e);
                case ResultCode.InvalidDNSyntax:
                    return new TssrError("LdapInvalidDn", TssrErrorCategory.InvalidArgument, target, Text.Format("Error_Operation", operation, target, Text.Get("Ad_InvalidDn"), detail), Text.Get("Action_Ad_InvalidDn"), e);
                case ResultCode.UnwillingToPerform:
                    return new TssrError("LdapUnwillingToPerform", TssrErrorCategory.InvalidOperation, target, Text.Format("Error_Operation", operation, target, Text.Get("Ad_2035"), detail), Text.Get("Action_Ad_2035"), e);
                case ResultCode.AttributeOrValueExists:
                    return new TssrError("LdapValueAlreadyExists", TssrErrorCategory.ResourceExists, target, Text.Format("Error_Operation", operation, target, Text.Get("Ad_2083"), detail), Text.Get("Action_Ad_2083"), e);
                default:
                    if (result == (ResultCode)49)
                        return new TssrError("DirectoryInvalidCredentials", TssrErrorCategory.AuthenticationError, target, Text.Format("Error_Operation", operation, target, Text.Get("Ad_52E"), detail), Text.Get("Action_Ad_52E"), e);
                    if (result == (ResultCode)81 || result == (ResultCode)91)
                        return new TssrError("DirectoryServerUnavailable", TssrErrorCategory.ConnectionError, target, Text.Format("Error_Operation", operation, target, Text.Get("Ad_Unavailable"), detail), Text.Get("Action_Ad_Unavailable"), e);
                    if (result == (ResultCode)85)
                        return new TssrError("DirectoryServerTimeout", TssrErrorCategory.OperationTimeout, target, Text.Format("Error_Operation", operation, target, Text.Get("Ad_Timeout"), detail), Text.Get("Action_Ad_Unavailable"), e);
                    return new TssrError("LdapOperationFailed", TssrErrorCategory.InvalidOperation, target, Text.Format("Error_Operation", operation, target, result?.ToString() ?? string.Empty, detail), Text.Get("Action_LdapOperationFailed"), e);
            }
        }
    }
}
