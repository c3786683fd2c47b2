namespace Tssr.Tools.Engine.Core
{
    /// <summary>One progress update of a long piece of work.</summary>
    public sealed class ProgressReport
    {
        public ProgressReport(string activity, string status, int percentComplete, bool completed = false, int activityId = 1)
        {
            Activity = activity;
            Status = status;
            PercentComplete = percentComplete < 0 ? -1 : (percentComplete > 100 ? 100 : percentComplete);
            Completed = completed;
            ActivityId = activityId;
        }

        public string Activity { get; }
        public string Status { get; }
        /// <summary>0 to 100, or -1 when unknown.</summary>
        public int PercentComplete { get; }
        public bool Completed { get; }
        public int ActivityId { get; }

        /// <summary>Percentage of done over total, clamped, -1 when the total is unknown.</summary>
        public static int Percent(long done, long total) => total <= 0 ? -1 : (int)(done * 100 / total);
    }
}
