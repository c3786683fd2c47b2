using System;
using System.Globalization;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Snmp
{
    /// <summary>A failure of one agent (timeout, refusal, unreadable reply); the engine reports it for that target and goes on.</summary>
    internal sealed class SnmpFailure : Exception
    {
        public SnmpFailure(TssrError error) : base(error.Message)
        {
            Error = error;
        }

        public TssrError Error { get; }

        public static SnmpFailure Of(string errorId, TssrErrorCategory category, string target, string messageKey, string actionKey, params object?[] args)
            => new SnmpFailure(new TssrError(errorId, category, target, SnmpText.Strings.Format(messageKey, args), SnmpText.Strings.Format(actionKey, args)));

        public static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.CurrentCulture);
    }
}
