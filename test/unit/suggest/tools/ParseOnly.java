// Parse-only Java syntax check (no classpath needed): javac's parser via JavacTask.parse(), errors to stdout.
// Run as a single-file program: java ParseOnly.java A.java B.java
import com.sun.source.util.JavacTask;
import java.util.List;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

public class ParseOnly {
    public static void main(String[] args) throws Exception {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diags = new DiagnosticCollector<>();
        StandardJavaFileManager fm = compiler.getStandardFileManager(diags, null, null);
        JavacTask task = (JavacTask) compiler.getTask(null, fm, diags, List.of("-proc:none"), null, fm.getJavaFileObjects(args));
        task.parse();
        int errors = 0;
        for (Diagnostic<? extends JavaFileObject> d : diags.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                System.out.println(d.getSource().getName() + ":" + d.getLineNumber() + ": " + d.getMessage(null));
                errors++;
            }
        }
        System.exit(errors > 0 ? 1 : 0);
    }
}
