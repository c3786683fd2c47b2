using System;
using System.Globalization;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Backup
{
    /// <summary>How many files to verify when not all: a percentage ("10%") or a count ("500").</summary>
    public sealed class BackupSample
    {
        private BackupSample(double? percent, int? count)
        {
            Percent = percent;
            Count = count;
        }

        public double? Percent { get; }
        public int? Count { get; }

        public static BackupSample Parse(string text)
        {
            var t = (text ?? string.Empty).Trim();
            if (t.EndsWith("%", StringComparison.Ordinal))
            {
                if (double.TryParse(t.Substring(0, t.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var p) && p > 0 && p <= 100)
                    return new BackupSample(p, null);
            }
            else if (int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0)
                return new BackupSample(null, n);
            throw new TssrException("BackupSampleInvalid", TssrErrorCategory.InvalidArgument, text,
                BackupText.Strings.Format("Error_SampleInvalid", text), BackupText.Strings.Get("Action_SampleInvalid"));
        }

        /// <summary>How many of <paramref name="total"/> files to draw (at least one when there is any).</summary>
        public int SizeFor(int total)
        {
            if (total == 0) return 0;
            var size = Count ?? (int)Math.Ceiling(total * Percent!.Value / 100.0);
            return Math.Max(1, Math.Min(total, size));
        }

        public override string ToString() => Percent.HasValue ? Percent.Value.ToString(CultureInfo.InvariantCulture) + "%" : Count!.Value.ToString(CultureInfo.InvariantCulture);
    }
}
