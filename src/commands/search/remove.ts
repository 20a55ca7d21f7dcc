import {listEditCommand} from '../../lib/list-commands.js';

export default listEditCommand('search', 'remove');
