import { Card } from "@/components/ui/card";
import { Table, TableBody, TableHeader, TableRow } from "@/components/ui/table";

/** A console list: a table in a card, its column heads in `head` and its rows as children. */
export function TableCard({ head, children, ...table }: Omit<React.ComponentProps<typeof Table>, "children"> & { head: React.ReactNode; children: React.ReactNode }) {
  return (
    <Card>
      <Table {...table}>
        <TableHeader>
          <TableRow>{head}</TableRow>
        </TableHeader>
        <TableBody>{children}</TableBody>
      </Table>
    </Card>
  );
}
