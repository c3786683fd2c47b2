using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;

namespace Tssr.Tools.Engine.Backup
{
    /// <summary>The SHA-256 of one file, or why it could not be read.</summary>
    internal readonly struct HashOutcome
    {
        public HashOutcome(string? sha256, long bytesRead, string? error)
        {
            Sha256 = sha256;
            BytesRead = bytesRead;
            Error = error;
        }

        public string? Sha256 { get; }
        public long BytesRead { get; }
        public string? Error { get; }
    }

    /// <summary>
    /// Hashes many files on all cores: largest first (so one big file does not finish alone at the
    /// end), one reusable buffer and hash object per worker, unbuffered sequential reads. Progress is
    /// reported in bytes, at most five times a second.
    /// </summary>
    internal static class ParallelHasher
    {
        private const int BufferSize = 1 << 20;

        public static async Task<HashOutcome[]> HashAsync(IReadOnlyList<string> paths, IReadOnlyList<long> sizes, int throttle, Action<long, int> progress, CancellationToken token)
        {
            var outcomes = new HashOutcome[paths.Count];
            var order = new int[paths.Count];
            for (var i = 0; i < order.Length; i++) order[i] = i;
            Array.Sort(order, (a, b) => sizes[b].CompareTo(sizes[a]));
            var next = -1;
            long bytesDone = 0;
            var filesDone = 0;
            var clock = Stopwatch.StartNew();
            long lastReport = 0;
            var gate = new object();

            void Report(bool force)
            {
                var now = clock.ElapsedMilliseconds;
                if (!force && now - Interlocked.Read(ref lastReport) < 200) return;
                lock (gate)
                {
                    if (!force && now - lastReport < 200) return;
                    lastReport = now;
                    progress(Interlocked.Read(ref bytesDone), Volatile.Read(ref filesDone));
                }
            }

            void Work()
            {
                var buffer = new byte[BufferSize];
                using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
                {
                    int index;
                    while ((index = Interlocked.Increment(ref next)) < order.Length)
                    {
                        token.ThrowIfCancellationRequested();
                        var i = order[index];
                        outcomes[i] = HashOne(paths[i], buffer, hash, read => { Interlocked.Add(ref bytesDone, read); Report(false); }, token);
                        Interlocked.Increment(ref filesDone);
                    }
                }
            }

            var workers = new List<Task>();
            var count = Math.Max(1, Math.Min(throttle, paths.Count));
            for (var w = 0; w < count; w++) workers.Add(Task.Factory.StartNew(Work, token, TaskCreationOptions.LongRunning, TaskScheduler.Default));
            await Task.WhenAll(workers).ConfigureAwait(false);
            Report(true);
            return outcomes;
        }

        private static HashOutcome HashOne(string path, byte[] buffer, IncrementalHash hash, Action<int> onRead, CancellationToken token)
        {
            long total = 0;
            try
            {
                using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan))
                {
                    int read;
                    while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
                    {
                        hash.AppendData(buffer, 0, read);
                        total += read;
                        onRead(read);
                        if ((total & ((64L << 20) - 1)) < read) token.ThrowIfCancellationRequested();
                    }
                }
                return new HashOutcome(Sha256SumFormat.ToHex(hash.GetHashAndReset()), total, null);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                hash.GetHashAndReset();
                return new HashOutcome(null, total, e.Message);
            }
        }
    }
}
