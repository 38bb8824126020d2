/** D-1's removal command is shared data: the service sends it, the device runs it. */
export { deleteRemovalCommand } from '../../sim/delete-removal.ts';
