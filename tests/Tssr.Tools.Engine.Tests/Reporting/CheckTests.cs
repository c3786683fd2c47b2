using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml;
using Tssr.Tools.Engine.Checks;
using Tssr.Tools.Engine.Core;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Reporting
{
    public class CheckTests
    {
        private static CheckDefinition Check(int line, params (string Key, object? Value)[] settings)
            => new CheckDefinition("checks.psd1", line, settings.Select((s, i) => (s.Key, s.Value, Line: line + i)).ToDictionary(s => s.Key, s => (s.Value, s.Line), StringComparer.OrdinalIgnoreCase));

        [Fact]
        public void Validation_names_the_line_of_the_problem()
        {
            var ok = Check(3, ("Name", "a"), ("Type", "portopen"), ("Target", "h"), ("Port", 22));
            CheckCatalog.Validate(new[] { ok });
            Assert.Equal("PortOpen", ok.Type);

            var e = Assert.Throws<TssrException>(() => CheckCatalog.Validate(new[] { Check(7, ("Name", "b"), ("Type", "PortOpen"), ("Target", "h"), ("Port", 1), ("Prot", 2)) }));
            Assert.Equal("CheckFileInvalid", e.Error.ErrorId);
            Assert.Equal("checks.psd1:11", e.Error.Target);

            e = Assert.Throws<TssrException>(() => CheckCatalog.Validate(new[] { Check(2, ("Name", "c"), ("Type", "Nope")) }));
            Assert.Equal("checks.psd1:3", e.Error.Target);

            e = Assert.Throws<TssrException>(() => CheckCatalog.Validate(new[] { Check(2, ("Name", "d"), ("Type", "Certificate"), ("Target", "h")) }));
            Assert.Contains("MinimumDaysLeft", e.Error.Message);
        }

        [Fact]
        public void Only_all_passed_gives_exit_code_zero()
        {
            var c = Check(1, ("Name", "a"), ("Type", "PortOpen"), ("Target", "h"), ("Port", 1));
            CheckCatalog.Validate(new[] { c });
            var passed = new CheckResult(c, CheckOutcome.Passed, "t", "e", "a", "ok", TimeSpan.Zero);
            Assert.Equal(0, CheckExitCode.Of(new[] { passed }));
            foreach (var other in new[] { CheckOutcome.Failed, CheckOutcome.Error, CheckOutcome.Unsupported })
                Assert.Equal(1, CheckExitCode.Of(new[] { passed, new CheckResult(c, other, "t", "e", "a", "x", TimeSpan.Zero) }));
            Assert.Equal(0, CheckExitCode.Of(Array.Empty<CheckResult>()));
        }

        [Fact]
        public void JUnit_is_well_formed_with_hostile_text_and_counts_unsupported_as_error()
        {
            var c = Check(1, ("Name", "a<b>&\"\u0001"), ("Type", "BackupAge"), ("Path", "p"), ("MaximumAgeHours", 1));
            CheckCatalog.Validate(new[] { c });
            var results = new List<CheckResult>
            {
                CheckJudge.Unsupported(c, "p", "not here ]]> <x>"),
                new CheckResult(c, CheckOutcome.Failed, "t", "e", "a", "bad \u0000 <script>", TimeSpan.FromMilliseconds(12)),
            };
            var w = new StringWriter();
            JUnitWriter.Write(w, "suite", "host", DateTime.UtcNow, results);
            var doc = new XmlDocument();
            doc.LoadXml(w.ToString());
            var suite = doc.SelectSingleNode("/testsuites/testsuite")!;
            Assert.Equal("1", suite.Attributes!["errors"]!.Value);
            Assert.Equal("1", suite.Attributes!["failures"]!.Value);
            Assert.Equal("Unsupported", doc.SelectSingleNode("//testcase/error/@type")!.Value);
        }

        [Fact]
        public void Dns_exact_and_contains()
        {
            var c = Check(1, ("Name", "a"), ("Type", "DnsRecord"), ("Query", "q"), ("Expected", "x"));
            CheckCatalog.Validate(new[] { c });
            Assert.Equal(CheckOutcome.Passed, CheckJudge.Dns(c, "q", new[] { "mail.tssr.lab." }, true, "NoError", new[] { "MAIL.tssr.lab" }, TimeSpan.Zero).Outcome);
            Assert.Equal(CheckOutcome.Failed, CheckJudge.Dns(c, "q", new[] { "1.1.1.1" }, true, "NoError", new[] { "1.1.1.1", "2.2.2.2" }, TimeSpan.Zero).Outcome);
            Assert.Equal(CheckOutcome.Passed, CheckJudge.Dns(c, "q", new[] { "1.1.1.1" }, false, "NoError", new[] { "1.1.1.1", "2.2.2.2" }, TimeSpan.Zero).Outcome);
            Assert.Equal(CheckOutcome.Failed, CheckJudge.Dns(c, "q", new[] { "1.1.1.1" }, false, "NameNotFound", Array.Empty<string>(), TimeSpan.Zero).Outcome);
        }
    }
}
