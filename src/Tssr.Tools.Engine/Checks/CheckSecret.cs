using System;
using System.IO;
using System.Runtime.InteropServices;
using Tssr.Tools.Engine.Backup;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Reporting;

namespace Tssr.Tools.Engine.Checks
{
    public enum CheckSecretSource
    {
        /// <summary>env:NAME, an environment variable (a systemd credential or a CI secret).</summary>
        Environment,
        /// <summary>file:PATH, the first line of a file that only its owner may read.</summary>
        File,
        /// <summary>vault:NAME, a secret of PowerShell's SecretManagement (read by the cmdlet).</summary>
        Vault,
    }

    /// <summary>
    /// Where a check file says a password is: never the password itself, which a check file must
    /// not hold. "env:RESTIC_PASSWORD", "file:/etc/tssr/restic.pw", "vault:BackupRepo".
    /// </summary>
    public sealed class CheckSecretReference
    {
        private CheckSecretReference(CheckSecretSource source, string name) { Source = source; Name = name; }

        public CheckSecretSource Source { get; }
        public string Name { get; }

        /// <summary>Null when the text is not of the form env:NAME, file:PATH or vault:NAME.</summary>
        public static CheckSecretReference? Parse(string? text)
        {
            if (text == null) return null;
            var colon = text.IndexOf(':');
            if (colon <= 0 || colon == text.Length - 1) return null;
            var name = text.Substring(colon + 1).Trim();
            if (name.Length == 0) return null;
            switch (text.Substring(0, colon).Trim().ToLowerInvariant())
            {
                case "env": return new CheckSecretReference(CheckSecretSource.Environment, name);
                case "file": return new CheckSecretReference(CheckSecretSource.File, name);
                case "vault": return new CheckSecretReference(CheckSecretSource.Vault, name);
                default: return null;
            }
        }

        /// <summary>What the report shows in place of the password.</summary>
        public override string ToString() => (Source == CheckSecretSource.Environment ? "env:" : Source == CheckSecretSource.File ? "file:" : "vault:") + Name;
    }

    /// <summary>Reads env: and file: secrets. Errors name the variable or file, never the value.</summary>
    public static class CheckSecretReader
    {
        private static readonly Localizer Text = ReportingText.Strings;

        public static string ReadEnvironment(string name)
        {
            var value = System.Environment.GetEnvironmentVariable(name);
            if (string.IsNullOrEmpty(value))
                throw new TssrException("CheckSecretNotFound", TssrErrorCategory.ObjectNotFound, "env:" + name,
                    Text.Format("Check_SecretEnvMissing", name), Text.Get("Action_CheckSecret"));
            return value!;
        }

        /// <summary>
        /// The first line of <paramref name="path"/> (a final line break is not part of the password).
        /// Refused when the group or others may read or write it (mode &amp; 077), as ssh refuses a
        /// private key: a password anyone on the machine can read protects nothing.
        /// </summary>
        public static string ReadFile(string path)
        {
            FileStatus? status;
            try { status = FileStatus.Read(path); }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new TssrException("CheckSecretUnreadable", TssrErrorCategory.ReadError, "file:" + path, Text.Format("Check_SecretFileUnreadable", path, e.Message), Text.Get("Action_CheckSecret"), e);
            }
            if (status == null)
                throw new TssrException("CheckSecretNotFound", TssrErrorCategory.ObjectNotFound, "file:" + path, Text.Format("Check_SecretFileMissing", path), Text.Get("Action_CheckSecret"));
            if (status.Type == BackupEntryType.SymbolicLink)
            {
                // The mode of a link means nothing: judge what it points to.
                var resolved = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path) ?? ".", status.LinkTarget ?? string.Empty));
                return ReadFile(resolved);
            }
            if (status.Type != BackupEntryType.File)
                throw new TssrException("CheckSecretUnreadable", TssrErrorCategory.InvalidArgument, "file:" + path, Text.Format("Check_SecretFileNotFile", path), Text.Get("Action_CheckSecret"));
            if (status.Mode.HasValue && (status.Mode.Value & 0x3f) != 0)
                throw new TssrException("CheckSecretFileTooOpen", TssrErrorCategory.SecurityError, "file:" + path,
                    Text.Format("Check_SecretFileTooOpen", path, BackupManifestEntry.FormatMode(status.Mode)), Text.Format("Action_CheckSecretFileTooOpen", path));
            if (!status.Mode.HasValue && !RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
                throw new TssrException("CheckSecretFileTooOpen", TssrErrorCategory.SecurityError, "file:" + path,
                    Text.Format("Check_SecretFileTooOpen", path, "?"), Text.Format("Action_CheckSecretFileTooOpen", path));
            string text;
            try { text = System.IO.File.ReadAllText(path); }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new TssrException("CheckSecretUnreadable", TssrErrorCategory.ReadError, "file:" + path, Text.Format("Check_SecretFileUnreadable", path, e.Message), Text.Get("Action_CheckSecret"), e);
            }
            var end = text.IndexOfAny(new[] { '\r', '\n' });
            var line = end >= 0 ? text.Substring(0, end) : text;
            if (line.Length == 0)
                throw new TssrException("CheckSecretNotFound", TssrErrorCategory.InvalidData, "file:" + path, Text.Format("Check_SecretFileEmpty", path), Text.Get("Action_CheckSecret"));
            return line;
        }
    }
}
