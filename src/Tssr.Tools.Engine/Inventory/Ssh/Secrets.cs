using System;
using System.Runtime.InteropServices;
using System.Security;
using System.Text;

namespace Tssr.Tools.Engine.Inventory.Ssh
{
    /// <summary>
    /// The only place a SecureString is opened: for SSH.NET's password method (bytes, cleared by
    /// the caller after use), a key's passphrase, and sudo's stdin. Nothing here is ever logged.
    /// </summary>
    internal static class Secrets
    {
        public static byte[] ToUtf8(SecureString secret)
        {
            var pointer = IntPtr.Zero;
            try
            {
                pointer = Marshal.SecureStringToGlobalAllocUnicode(secret);
                var chars = new char[secret.Length];
                Marshal.Copy(pointer, chars, 0, chars.Length);
                try
                {
                    return Encoding.UTF8.GetBytes(chars);
                }
                finally
                {
                    Array.Clear(chars, 0, chars.Length);
                }
            }
            finally
            {
                if (pointer != IntPtr.Zero) Marshal.ZeroFreeGlobalAllocUnicode(pointer);
            }
        }

        /// <summary>SSH.NET takes a key's passphrase as a string only.</summary>
        public static string ToPlain(SecureString secret)
        {
            var pointer = IntPtr.Zero;
            try
            {
                pointer = Marshal.SecureStringToGlobalAllocUnicode(secret);
                return Marshal.PtrToStringUni(pointer, secret.Length);
            }
            finally
            {
                if (pointer != IntPtr.Zero) Marshal.ZeroFreeGlobalAllocUnicode(pointer);
            }
        }

        /// <summary>The password followed by a newline, as sudo -S reads it.</summary>
        public static byte[] SudoInput(SecureString secret)
        {
            var bytes = ToUtf8(secret);
            var line = new byte[bytes.Length + 1];
            Buffer.BlockCopy(bytes, 0, line, 0, bytes.Length);
            line[bytes.Length] = (byte)'\n';
            Array.Clear(bytes, 0, bytes.Length);
            return line;
        }
    }
}
