using System;
using System.Collections.Generic;
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
    /// an AssemblyResolve handler on Windows PowerShell 5.1, where isolation is not possible. As
    /// PSResourceGet does, the 5.1 handler answers only what the module's own assemblies ask for
    /// (another module's request for its own copy of a library is left to that module), and both
    /// hooks are removed by Remove-Module.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly object Gate = new object();
        private static bool _installed;
        private static HashSet<string>? _shipped;

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
                    CallLoadContext("Install", new object[] { DependencyDirectory, new[] { "Tssr.Tools.Engine" } });
            }
        }

        /// <summary>Remove-Module: the hook goes; assemblies already loaded stay (.NET cannot unload them).</summary>
        public void OnRemove(PSModuleInfo module)
        {
            lock (Gate)
            {
                if (!_installed) return;
                _installed = false;
                if (IsWindowsPowerShell)
                    AppDomain.CurrentDomain.AssemblyResolve -= ResolveFromDependencies;
                else
                    CallLoadContext("Uninstall", new object[0]);
            }
        }

        /// <summary>True while the module's resolver is hooked (for the tests of Import/Remove-Module).</summary>
        public static bool IsInstalled
        {
            get { lock (Gate) return _installed; }
        }

        /// <summary>
        /// Whether the 5.1 handler answers a request: the assembly asked for ships in dependencies/, and
        /// the request comes from one of the module's own assemblies (its file is in the module's
        /// folder). .NET Framework sometimes does not say who asks (a type loaded by reflection): then
        /// the name alone decides, as PSResourceGet does.
        /// </summary>
        public static bool IsOwnRequest(string requestedName, string? requestingAssemblyPath, ICollection<string> shipped, string moduleDirectory)
        {
            if (string.IsNullOrEmpty(requestedName) || !shipped.Contains(requestedName)) return false;
            if (string.IsNullOrEmpty(requestingAssemblyPath)) return true;
            var folder = Path.GetFullPath(moduleDirectory).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) + Path.DirectorySeparatorChar;
            return Path.GetFullPath(requestingAssemblyPath!).StartsWith(folder, StringComparison.OrdinalIgnoreCase);
        }

        private static ICollection<string> Shipped()
        {
            lock (Gate)
            {
                if (_shipped != null) return _shipped;
                var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                if (Directory.Exists(DependencyDirectory))
                    foreach (var file in Directory.GetFiles(DependencyDirectory, "*.dll"))
                        names.Add(Path.GetFileNameWithoutExtension(file));
                return _shipped = names;
            }
        }

        internal static bool IsWindowsPowerShell
            => RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

        private static void CallLoadContext(string method, object[] arguments)
        {
            var isolation = Assembly.LoadFrom(Path.Combine(ModuleDirectory, "Tssr.Tools.Isolation.dll"));
            var loadContext = isolation.GetType("Tssr.Tools.Isolation.DependencyLoadContext", throwOnError: true)!;
            loadContext.GetMethod(method, BindingFlags.Public | BindingFlags.Static)!.Invoke(null, arguments);
        }

        private static Assembly? ResolveFromDependencies(object? sender, ResolveEventArgs args)
        {
            var name = new AssemblyName(args.Name);
            string? requesting;
            try
            {
                requesting = args.RequestingAssembly == null || args.RequestingAssembly.IsDynamic ? null : args.RequestingAssembly.Location;
            }
            catch (NotSupportedException)
            {
                requesting = null;
            }
            if (string.IsNullOrEmpty(requesting)) requesting = null;
            // A satellite (Strings.resources) is asked for by its culture folder: same rule, by the main name.
            var lookup = name.Name != null && name.Name.EndsWith(".resources", StringComparison.OrdinalIgnoreCase)
                ? name.Name.Substring(0, name.Name.Length - ".resources".Length) : name.Name ?? string.Empty;
            if (!IsOwnRequest(lookup, requesting, Shipped(), ModuleDirectory)) return null;
            var folder = string.IsNullOrEmpty(name.CultureName) ? DependencyDirectory : Path.Combine(DependencyDirectory, name.CultureName);
            var path = Path.Combine(folder, name.Name + ".dll");
            return File.Exists(path) ? Assembly.LoadFrom(path) : null;
        }
    }
}
