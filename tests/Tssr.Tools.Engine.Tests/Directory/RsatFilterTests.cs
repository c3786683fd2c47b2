using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Directory;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Directory
{
    public class RsatFilterTests
    {
        [Theory]
        [InlineData("*", "(objectClass=*)")]
        [InlineData("SamAccountName -eq 'jdupont'", "(sAMAccountName=jdupont)")]
        [InlineData("Name -like 'Dup*'", "(name=Dup*)")]
        [InlineData("Department -like '*'", "(department=*)")]
        [InlineData("Surname -ne \"Martin\"", "(!(sn=Martin))")]
        [InlineData("Department -eq 'Compta' -and Enabled -eq $true", "(&(department=Compta)(!(userAccountControl:1.2.840.113556.1.4.803:=2)))")]
        [InlineData("Enabled -eq $false", "(userAccountControl:1.2.840.113556.1.4.803:=2)")]
        [InlineData("PasswordNeverExpires -eq $true", "(userAccountControl:1.2.840.113556.1.4.803:=65536)")]
        [InlineData("Title -eq 'a' -or Title -eq 'b' -and Office -eq 'c'", "(|(title=a)(&(title=b)(physicalDeliveryOfficeName=c)))")]
        [InlineData("(Title -eq 'a' -or Title -eq 'b') -and -not (Office -eq 'c')", "(&(|(title=a)(title=b))(!(physicalDeliveryOfficeName=c)))")]
        [InlineData("department -EQ Compta", "(department=Compta)")]
        public void Common_rsat_forms_translate_to_ldap(string filter, string expected)
        {
            Assert.Equal(expected, RsatFilter.ToLdap(filter));
        }

        [Theory]
        [InlineData("Name -eq '*)(sAMAccountName=*'", "(name=\\2a\\29\\28sAMAccountName=\\2a)")]
        [InlineData("Name -like 'a(b)*'", "(name=a\\28b\\29*)")]
        [InlineData("Name -eq 'O''Brien'", "(name=O'Brien)")]
        [InlineData("Name -eq 'back\\slash'", "(name=back\\5cslash)")]
        public void Values_are_data_never_filter_syntax(string filter, string expected)
        {
            Assert.Equal(expected, RsatFilter.ToLdap(filter));
        }

        [Theory]
        [InlineData("(sAMAccountName=*)")]
        [InlineData("Name -gt 'a'")]
        [InlineData("Name -eq")]
        [InlineData("Name -eq 'unclosed")]
        [InlineData("Password -eq 'x'")]
        [InlineData("Enabled -like $true")]
        [InlineData("Name -eq 'a' -and")]
        [InlineData("Name -like ''")]
        public void Anything_else_is_refused_naming_the_supported_forms(string filter)
        {
            var e = Assert.Throws<TssrException>(() => RsatFilter.ToLdap(filter));
            Assert.Equal("DirectoryFilterUnsupported", e.Error.ErrorId);
            Assert.Contains("-LDAPFilter", e.Error.RecommendedAction);
        }
    }
}
