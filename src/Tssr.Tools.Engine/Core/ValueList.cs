using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;

namespace Tssr.Tools.Engine.Core
{
    /// <summary>
    /// A list property of a result type that exports as written: its text form joins the values
    /// ("Expired, NameMismatch"), which is what Export-Csv writes (it calls ToString), while
    /// ConvertTo-Json and the pipeline still see a list. Use it for every list property of a result.
    /// </summary>
    public sealed class ValueList<T> : ReadOnlyCollection<T>
    {
        public static readonly ValueList<T> Empty = new ValueList<T>(new T[0]);

        public ValueList(IEnumerable<T> values) : base(values.ToList())
        {
        }

        /// <summary>The values joined with ", ".</summary>
        public override string ToString() => string.Join(", ", this);
    }
}
