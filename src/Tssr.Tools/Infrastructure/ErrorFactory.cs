using System;
using System.Management.Automation;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools
{
    /// <summary>
    /// The one place where engine errors become PowerShell error records: specific ErrorId, precise
    /// category, the host/DN/file/row as target object, and a recommended action.
    /// </summary>
    internal static class ErrorFactory
    {
        public static ErrorRecord Create(TssrError error)
        {
            var exception = new TssrException(error);
            var record = new ErrorRecord(exception, error.ErrorId, Map(error.Category), error.Target);
            record.ErrorDetails = new ErrorDetails(error.Message) { RecommendedAction = error.RecommendedAction ?? string.Empty };
            return record;
        }

        public static ErrorRecord Create(string errorId, TssrErrorCategory category, object? target, string message, string? recommendedAction = null, Exception? inner = null)
            => Create(new TssrError(errorId, category, target, message, recommendedAction, inner));

        public static ErrorCategory Map(TssrErrorCategory category)
            => Enum.TryParse(category.ToString(), out ErrorCategory mapped) ? mapped : ErrorCategory.NotSpecified;
    }
}
