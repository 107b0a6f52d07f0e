// `orion doctor`: checks the machine (ane-reference.md: the disputed rules are settled on real hardware) and prints a
// report to paste into an issue. Exit 0 when nothing failed, 1 otherwise.
using System.CommandLine;
using Orion.Engine.Ane;
using Orion.Engine.Ane.Doctor;

namespace Orion.Cli.Commands;

internal static class DoctorCommand
{
    public static Command Create(TextWriter stdout)
    {
        var doctor = new Command("doctor", "check this machine: on a Mac, run programs on the real ANE and on the emulator, compare, and probe the disputed rules; elsewhere, say what was checked");
        doctor.SetAction(_ => Run(HostFacts.Current(), stdout));
        return doctor;
    }

    internal static int Run(HostFacts host, TextWriter stdout)
    {
        var report = AneDoctor.Run(host);
        report.WriteTo(stdout);
        return report.Failed ? 1 : 0;
    }
}
