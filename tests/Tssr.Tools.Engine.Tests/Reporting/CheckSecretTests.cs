using System;
using System.IO;
using Tssr.Tools.Engine.Checks;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Tests.Backup;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Reporting
{
    /// <summary>Where a check file says a repository password is: env:, file: (owner-only) and vault:, and what is refused.</summary>
    public class CheckSecretTests
    {
        [Theory]
        [InlineData("env:RESTIC_PASSWORD", CheckSecretSource.Environment, "RESTIC_PASSWORD")]
        [InlineData("file:/etc/tssr/repo.pw", CheckSecretSource.File, "/etc/tssr/repo.pw")]
        [InlineData("FILE:C:\\secrets\\repo.pw", CheckSecretSource.File, "C:\\secrets\\repo.pw")]
        [InlineData("vault:BackupRepo", CheckSecretSource.Vault, "BackupRepo")]
        public void References_are_read_by_their_prefix(string text, CheckSecretSource source, string name)
        {
            var r = CheckSecretReference.Parse(text)!;
            Assert.Equal(source, r.Source);
            Assert.Equal(name, r.Name);
        }

        [Theory]
        [InlineData("hunter2")]
        [InlineData("env:")]
        [InlineData(":x")]
        [InlineData("password:hunter2")]
        [InlineData("env:   ")]
        public void A_password_or_an_unknown_prefix_is_not_a_reference(string text) => Assert.Null(CheckSecretReference.Parse(text));

        [Fact]
        public void A_file_only_its_owner_reads_gives_its_first_line_and_any_other_is_refused()
        {
            if (OperatingSystem.IsWindows()) return;
            using var s = new Scratch();
            var path = s.Write("repo.pw", "s3cret pw\nsecond line\n");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            Assert.Equal("s3cret pw", CheckSecretReader.ReadFile(path));
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
            var e = Assert.Throws<TssrException>(() => CheckSecretReader.ReadFile(path));
            Assert.Equal("CheckSecretFileTooOpen", e.Error.ErrorId);
            Assert.Contains("0640", e.Error.Message);
            Assert.DoesNotContain("s3cret", e.Error.Message);
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.OtherWrite);
            Assert.Equal("CheckSecretFileTooOpen", Assert.Throws<TssrException>(() => CheckSecretReader.ReadFile(path)).Error.ErrorId);
            // A link is judged by what it points to.
            var link = Path.Combine(s.Root, "link.pw");
            File.CreateSymbolicLink(link, "repo.pw");
            Assert.Equal("CheckSecretFileTooOpen", Assert.Throws<TssrException>(() => CheckSecretReader.ReadFile(link)).Error.ErrorId);
            File.SetUnixFileMode(path, UnixFileMode.UserRead);
            Assert.Equal("s3cret pw", CheckSecretReader.ReadFile(link));
            Assert.Equal("CheckSecretNotFound", Assert.Throws<TssrException>(() => CheckSecretReader.ReadFile(Path.Combine(s.Root, "none.pw"))).Error.ErrorId);
            var empty = s.Write("empty.pw", "\n");
            File.SetUnixFileMode(empty, UnixFileMode.UserRead);
            Assert.Equal("CheckSecretNotFound", Assert.Throws<TssrException>(() => CheckSecretReader.ReadFile(empty)).Error.ErrorId);
        }

        [Fact]
        public void A_missing_variable_is_named()
        {
            var e = Assert.Throws<TssrException>(() => CheckSecretReader.ReadEnvironment("TSSR_TEST_NO_SUCH_VARIABLE_" + Guid.NewGuid().ToString("N")));
            Assert.Equal("CheckSecretNotFound", e.Error.ErrorId);
            Assert.Contains("TSSR_TEST_NO_SUCH_VARIABLE_", e.Error.Message);
        }
    }
}
