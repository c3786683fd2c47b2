using System;

namespace Tssr.Tools.Engine.Core
{
    /// <summary>
    /// The categories the engine uses; their names are those of PowerShell's ErrorCategory, so the
    /// cmdlet layer maps them by name.
    /// </summary>
    public enum TssrErrorCategory
    {
        NotSpecified,
        InvalidArgument,
        InvalidData,
        InvalidOperation,
        InvalidResult,
        ObjectNotFound,
        ResourceUnavailable,
        ConnectionError,
        OperationTimeout,
        PermissionDenied,
        SecurityError,
        AuthenticationError,
        ProtocolError,
        NotImplemented,
        OperationStopped,
        ResourceExists,
        ParserError,
        LimitsExceeded,
        NotInstalled,
        ReadError,
        WriteError,
        SyntaxError,
    }

    /// <summary>
    /// One error, as a script needs it: a stable id to catch on, a category, the host, DN, file or
    /// row it concerns, a message in the user's language and what to do about it.
    /// </summary>
    public sealed class TssrError
    {
        public TssrError(string errorId, TssrErrorCategory category, object? target, string message, string? recommendedAction = null, Exception? exception = null)
        {
            if (string.IsNullOrEmpty(errorId)) throw new ArgumentException("An error needs an id.", nameof(errorId));
            ErrorId = errorId;
            Category = category;
            Target = target;
            Message = message ?? string.Empty;
            RecommendedAction = recommendedAction;
            Exception = exception;
        }

        /// <summary>Stable and specific, e.g. "PortOutOfRange"; scripts catch on it.</summary>
        public string ErrorId { get; }
        public TssrErrorCategory Category { get; }
        /// <summary>The host, address, DN, file or row the error is about.</summary>
        public object? Target { get; }
        public string Message { get; }
        public string? RecommendedAction { get; }
        public Exception? Exception { get; }

        public override string ToString() => $"{ErrorId}: {Message}";
    }

    /// <summary>A terminating error of the engine; carries its <see cref="TssrError"/>.</summary>
    public sealed class TssrException : Exception
    {
        public TssrException(TssrError error) : base(error.Message, error.Exception)
        {
            Error = error;
        }

        public TssrException(string errorId, TssrErrorCategory category, object? target, string message, string? recommendedAction = null, Exception? inner = null)
            : this(new TssrError(errorId, category, target, message, recommendedAction, inner))
        {
        }

        public TssrError Error { get; }
    }
}
