package io.corral.agent.cli;

import io.corral.agent.template.Template;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** corral-agent template build|list. */
@Command(name = "template", description = "Build or list templates.",
        subcommands = {TemplateCommand.Build.class, TemplateCommand.ListTemplates.class})
final class TemplateCommand {
    @CommandLine.ParentCommand Main main;

    @Command(name = "build", description = "Build a template: busybox (from this host's busybox-static) or debian (debootstrap).")
    static final class Build implements Callable<Integer> {
        @CommandLine.ParentCommand TemplateCommand parent;
        @Parameters(paramLabel = "NAME") String name;

        @Override
        public Integer call() {
            Template t = parent.main.agent().templates().build(name);
            System.out.println("template " + t.name() + " ready at " + t.rootfs());
            return 0;
        }
    }

    @Command(name = "list", description = "List installed templates.")
    static final class ListTemplates implements Callable<Integer> {
        @CommandLine.ParentCommand TemplateCommand parent;

        @Override
        public Integer call() {
            for (Template t : parent.main.agent().templates().list()) {
                System.out.println(t.name() + "\t" + t.rootfs());
            }
            return 0;
        }
    }
}
