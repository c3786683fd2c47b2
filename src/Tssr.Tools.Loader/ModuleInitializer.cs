using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Management.Automation;

namespace Tssr.Tools.Loader
{
    /// <summary>
    /// Loads the engine and its dependencies from the module's dependencies/ folder, apart from
    /// whatever other modules loaded: a custom AssemblyLoadContext on PowerShell 7 (in
    /// Tssr.Tools.Isolation.dll, which targets .NET 8 because netstandard2.0 cannot name the type),
    /// an AssemblyResolve handler on Windows PowerShell 5.1, where isolation is not possible.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer
    {
        private static readonly object Gate = new object();
        private static bool _installed;

        internal static string ModuleDirectory => Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".";

        internal static string DependencyDirectory => Path.Combine(ModuleDirectory, "dependencies");

        public void OnImport()
        {
            lock (Gate)
            {
                if (_installed) return;
                _installed = true;
                if (IsWindowsPowerShell)
                    AppDomain.CurrentDomain.AssemblyResolve += ResolveFromDependencies;
                else
                    InstallLoadContext();
            }
        }

        internal static bool IsWindowsPowerShell
            => RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

        private static void InstallLoadContext()
        {
            var isolation = Assembly.LoadFrom(Path.Combine(ModuleDirectory, "Tssr.Tools.Isolation.dll"));
            var loadContext = isolation.GetType("Tssr.Tools.Isolation.DependencyLoadContext", throwOnError: true)!;
            loadContext.GetMethod("Install", BindingFlags.Public | BindingFlags.Static)!
                .Invoke(null, new object[] { DependencyDirectory, new[] { "Tssr.Tools.Engine" } });
        }

        private static Assembly? ResolveFromDependencies(object? sender, ResolveEventArgs args)
        {
            var name = new AssemblyName(args.Name);
            var folder = string.IsNullOrEmpty(name.CultureName) ? DependencyDirectory : Path.Combine(DependencyDirectory, name.CultureName);
            var path = Path.Combine(folder, name.Name + ".dll");
            return File.Exists(path) ? Assembly.LoadFrom(path) : null;
        }
    }
}
