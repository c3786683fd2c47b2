using System.Management.Automation;
using Tssr.Tools.Engine.Directory;

namespace Tssr.Tools
{
    /// <summary>The user attributes New-TssrUser and Set-TssrUser share (RSAT's names; CSV columns bind by name).</summary>
    public abstract class UserAttributeCmdlet : DirectoryCmdlet
    {
        /// <summary>First name (givenName).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("FirstName", "Prenom")]
        public string? GivenName { get; set; }

        /// <summary>Last name (sn).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("LastName", "Nom")]
        public string? Surname { get; set; }

        /// <summary>Name shown in address books (displayName).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? DisplayName { get; set; }

        /// <summary>Logon name user@suffix (userPrincipalName).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("UPN")]
        public string? UserPrincipalName { get; set; }

        /// <summary>Free text description.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Description { get; set; }

        /// <summary>E-mail address (mail).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Mail", "Email")]
        public string? EmailAddress { get; set; }

        /// <summary>Department.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Department { get; set; }

        /// <summary>Job title.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Title { get; set; }

        /// <summary>Company.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Company { get; set; }

        /// <summary>Office (physicalDeliveryOfficeName).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Office { get; set; }

        /// <summary>Telephone number.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Phone")]
        public string? OfficePhone { get; set; }

        /// <summary>Writes the resulting user to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected void FillAttributes(UserAttributes a)
        {
            a.GivenName = GivenName;
            a.Surname = Surname;
            a.DisplayName = DisplayName;
            a.UserPrincipalName = UserPrincipalName;
            a.Description = Description;
            a.EmailAddress = EmailAddress;
            a.Department = Department;
            a.Title = Title;
            a.Company = Company;
            a.Office = Office;
            a.OfficePhone = OfficePhone;
        }
    }
}
