using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace Tssr.Tools.Isolation
{
    /// <summary>
    /// Holds Tssr.Tools.Engine and every assembly it needs from the module's dependencies/ folder,
    /// so another module's DnsClient, SSH.NET or BouncyCastle in the default context never collides
    /// with ours. Assemblies not shipped there (the framework, System.DirectoryServices.Protocols
    /// that PowerShell itself carries) come from the default context.
    /// </summary>
    public sealed class DependencyLoadContext : AssemblyLoadContext
    {
        private static readonly object Gate = new object();
        private static DependencyLoadContext? _instance;
        private static Func<AssemblyLoadContext, AssemblyName, Assembly?>? _hook;
        private readonly string _directory;

        private static readonly Lazy<HashSet<string>> PlatformAssemblies = new Lazy<HashSet<string>>(() =>
        {
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var list = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? string.Empty;
            foreach (var path in list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
                names.Add(Path.GetFileNameWithoutExtension(path));
            return names;
        });

        private DependencyLoadContext(string directory) : base("Tssr.Tools", isCollectible: false)
        {
            _directory = directory;
        }

        /// <summary>
        /// Hooks the default context so that a request for one of <paramref name="entryAssemblies"/>
        /// (made when a cmdlet first touches the engine) is answered from this context.
        /// Idempotent: a second Import-Module -Force, or an import after Remove-Module, reuses the first
        /// context (its assemblies cannot be unloaded) and hooks it again.
        /// </summary>
        public static void Install(string directory, string[] entryAssemblies)
        {
            lock (Gate)
            {
                if (_hook != null) return;
                var context = _instance ??= new DependencyLoadContext(directory);
                var entries = new HashSet<string>(entryAssemblies, StringComparer.OrdinalIgnoreCase);
                _hook = (_, name) => name.Name != null && entries.Contains(name.Name) ? context.LoadFromAssemblyName(name) : null;
                Default.Resolving += _hook;
            }
        }

        /// <summary>Remove-Module: unhooks the default context; safe twice.</summary>
        public static void Uninstall()
        {
            lock (Gate)
            {
                if (_hook == null) return;
                Default.Resolving -= _hook;
                _hook = null;
            }
        }

        /// <summary>True while the default context is hooked.</summary>
        public static bool IsInstalled
        {
            get { lock (Gate) return _hook != null; }
        }

        protected override Assembly? Load(AssemblyName name)
        {
            // netstandard2.0 facades (System.Memory, System.Buffers...) ship for Windows PowerShell
            // 5.1; on PowerShell 7 the runtime's own copies must win, or Span<T> would exist twice.
            if (name.Name != null && PlatformAssemblies.Value.Contains(name.Name))
                return null;
            var folder = string.IsNullOrEmpty(name.CultureName) ? _directory : Path.Combine(_directory, name.CultureName);
            var path = Path.Combine(folder, name.Name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }
    }
}
