using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Tssr.Tools.Engine.Network.Tls
{
    /// <summary>
    /// Passes a connection through and keeps the first bytes the server sent, so that a failed
    /// handshake can be explained: a TLS alert, a plain-text banner, or nothing at all.
    /// </summary>
    internal sealed class RecordingStream : Stream
    {
        public const int Keep = 64;
        private readonly Stream _inner;
        private readonly byte[] _first = new byte[Keep];
        private int _firstCount;
        private long _received;

        public RecordingStream(Stream inner) { _inner = inner; }

        /// <summary>The first bytes received (at most <see cref="Keep"/>).</summary>
        public byte[] FirstBytes
        {
            get
            {
                var copy = new byte[_firstCount];
                Buffer.BlockCopy(_first, 0, copy, 0, _firstCount);
                return copy;
            }
        }

        public long BytesReceived => Interlocked.Read(ref _received);

        public override bool CanRead => _inner.CanRead;
        public override bool CanSeek => false;
        public override bool CanWrite => _inner.CanWrite;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Record(buffer, offset, _inner.Read(buffer, offset, count));

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => Record(buffer, offset, await _inner.ReadAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false));

        public override void Write(byte[] buffer, int offset, int count) => _inner.Write(buffer, offset, count);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => _inner.WriteAsync(buffer, offset, count, cancellationToken);

        public override void Flush() => _inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) _inner.Dispose();
            base.Dispose(disposing);
        }

        private int Record(byte[] buffer, int offset, int read)
        {
            if (read > 0)
            {
                lock (_first)
                {
                    var take = Math.Min(read, Keep - _firstCount);
                    if (take > 0)
                    {
                        Buffer.BlockCopy(buffer, offset, _first, _firstCount, take);
                        _firstCount += take;
                    }
                }
                Interlocked.Add(ref _received, read);
            }
            return read;
        }
    }
}
