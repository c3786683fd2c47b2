using System;
using System.Diagnostics;
using System.IO;

namespace Tssr.Tools.Engine.Tests.Backup
{
    /// <summary>A scratch directory removed after the test, and a way to run the real tools (sha256sum, tar, python3).</summary>
    internal sealed class Scratch : IDisposable
    {
        public Scratch()
        {
            var lab = Environment.GetEnvironmentVariable("TSSR_LAB_DIR");
            var parent = string.IsNullOrEmpty(lab) ? Path.GetTempPath() : lab;
            Root = Path.Combine(parent, "backup-xunit-" + Guid.NewGuid().ToString("N").Substring(0, 10));
            System.IO.Directory.CreateDirectory(Root);
        }

        public string Root { get; }

        public string Write(string relative, string content)
        {
            var path = Path.Combine(Root, relative);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
            return path;
        }

        public string Dir(string relative)
        {
            var path = Path.Combine(Root, relative);
            System.IO.Directory.CreateDirectory(path);
            return path;
        }

        /// <summary>Runs a program in <paramref name="workingDirectory"/>; returns exit code and output.</summary>
        public static (int ExitCode, string Output, string Error) Run(string workingDirectory, string program, params string[] arguments)
        {
            var psi = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in arguments) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEndAsync();
            var error = p.StandardError.ReadToEndAsync();
            p.WaitForExit();
            return (p.ExitCode, output.Result, error.Result);
        }

        public static bool Has(string program)
        {
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':'))
                if (File.Exists(Path.Combine(dir, program))) return true;
            if (Environment.GetEnvironmentVariable("CI") == "true") throw new InvalidOperationException("CI: missing " + program);
            return false;
        }

        public void Dispose()
        {
            try { System.IO.Directory.Delete(Root, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
